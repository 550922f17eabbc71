#include "bluegreen-switch/entrypoint_probe.hpp"

#include <thread>

#include <fmt/format.h>

#include "gantry/http/http_client.hpp"

namespace bluegreen_switch {

namespace {

using Clock = std::chrono::steady_clock;

gantry::http::HttpRequest request_for(const EntrypointProbe& probe) {
    return color_request(probe.url, probe.ca_file, probe.timeout);
}

bool failed(const gantry::http::HttpResponse& response) {
    return response.failure != gantry::http::TransportFailure::None || response.status >= 500;
}

std::string failure_of(const gantry::http::HttpResponse& response) {
    return response.failure != gantry::http::TransportFailure::None ? response.transport_error
                                                                    : fmt::format("HTTP {}", response.status);
}

}  // namespace

gantry::http::HttpRequest color_request(const std::string& url, const std::string& ca_file, std::chrono::milliseconds timeout) {
    gantry::http::HttpRequest request;
    request.url = url;
    request.ca_file = ca_file;
    request.timeout = timeout;
    request.connect_timeout = timeout;
    request.body_limit = 4096;  // the colour is in a header or the start of the body
    return request;
}

std::optional<Color> answering_color(const gantry::http::HttpResponse& response, const std::string& header) {
    if (auto value = response.header(header)) {
        if (auto color = parse_color(*value)) return color;
    }
    const std::string_view head = std::string_view(response.body).substr(0, 512);
    const bool blue = head.find("blue") != std::string_view::npos;
    const bool green = head.find("green") != std::string_view::npos;
    if (blue != green) return blue ? Color::Blue : Color::Green;
    return std::nullopt;
}

std::optional<Color> ServedReading::unanimous() const {
    if (unknown > 0 || failed > 0) return std::nullopt;
    if (blue > 0 && green == 0) return Color::Blue;
    if (green > 0 && blue == 0) return Color::Green;
    return std::nullopt;
}

std::string ServedReading::describe() const {
    const int requests = answers() + failed;
    if (answers() == 0) return fmt::format("no answer to {} requests ({})", requests, last_failure);
    if (const auto color = unanimous()) return fmt::format("{} of {} answers {}", requests, requests, to_string(*color));
    std::string text = fmt::format("{} blue, {} green", blue, green);
    if (unknown > 0) text += fmt::format(", {} naming no colour", unknown);
    if (failed > 0) text += fmt::format(", {} failed ({})", failed, last_failure);
    return text + fmt::format(" of {} requests", requests);
}

ServedReading read_served(const EntrypointProbe& probe, int samples) {
    ServedReading reading;
    reading.url = probe.url;
    const auto request = request_for(probe);
    for (int i = 0; i < samples; ++i) {
        const auto response = gantry::http::perform(request);
        if (failed(response)) {
            ++reading.failed;
            reading.last_failure = failure_of(response);
            continue;
        }
        const auto color = answering_color(response, probe.color_header);
        if (!color) {
            ++reading.unknown;
        } else {
            ++(*color == Color::Blue ? reading.blue : reading.green);
        }
    }
    return reading;
}

ColorConfirmation wait_for_color(const EntrypointProbe& probe, Color target, std::chrono::milliseconds bound,
                                 int in_a_row) {
    const auto begun = Clock::now();
    const auto deadline = begun + bound;
    const auto request = request_for(probe);
    ColorConfirmation confirmation;
    int streak = 0;
    std::string last = "no answer yet";
    const auto elapsed = [&] { return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - begun).count(); };
    while (true) {
        const auto response = gantry::http::perform(request);
        ++confirmation.requests;
        const auto color = failed(response) ? std::nullopt : answering_color(response, probe.color_header);
        if (!failed(response) && !color) {
            confirmation.took_ms = elapsed();
            confirmation.colorless = true;
            confirmation.detail = fmt::format("{} answers without naming a colour (no {} header, no colour in the body)",
                                              probe.url, probe.color_header);
            return confirmation;
        }
        if (color == target) {
            if (++streak >= in_a_row) {
                confirmation.confirmed = true;
                confirmation.took_ms = elapsed();
                confirmation.detail = fmt::format("{} answered {} {} times in a row on new connections after {} ms",
                                                  probe.url, to_string(target), in_a_row, confirmation.took_ms);
                return confirmation;
            }
            continue;
        }
        streak = 0;
        last = color ? std::string(to_string(*color)) + " answered" : failure_of(response);
        if (Clock::now() >= deadline) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    confirmation.took_ms = elapsed();
    confirmation.detail = fmt::format("{} did not answer {} {} times in a row within {} ms ({} requests; last: {})",
                                      probe.url, to_string(target), in_a_row, bound.count(), confirmation.requests, last);
    return confirmation;
}

}  // namespace bluegreen_switch
