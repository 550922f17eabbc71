// What the public entrypoint serves, asked the way a new client asks: one request per new
// connection, the colour read from the answer.
//
// answering_color() names the colour of one answer: the colour header (--color-header, "blue" or
// "green" in any case), else the start of the body mentioning exactly one of "blue" and "green";
// nullopt when it cannot tell. read_served() sends `samples` requests one after the other and counts
// the colours; it never throws for what the entrypoint answers (refused, timeouts and 5xx are
// counted as failed). wait_for_color() repeats single requests until `in_a_row` answers in a row come
// from the target, or the bound passes: the proof that a switch is what new clients get (nginx's new
// workers answer some tens of milliseconds after `nginx -s reload` returns). It returns at once, not
// confirmed, when an answer names no colour (the entrypoint does not say which colour answered).
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "bluegreen-switch/color.hpp"
#include "gantry/http/http_exchange.hpp"

namespace bluegreen_switch {

struct EntrypointProbe {
    std::string url;
    std::string color_header = "X-Color";
    std::string ca_file;
    std::chrono::milliseconds timeout{2000};  // each request
};

std::optional<Color> answering_color(const gantry::http::HttpResponse& response, const std::string& header);
// A GET of `url` as the probe and the witness send it (small body limit, the CA bundle, one timeout).
gantry::http::HttpRequest color_request(const std::string& url, const std::string& ca_file, std::chrono::milliseconds timeout);

struct ServedReading {
    std::string url;
    int blue = 0;
    int green = 0;
    int unknown = 0;  // answered, but the answer names no colour
    int failed = 0;   // no answer, or 5xx
    std::string last_failure;

    // The colour every answer came from; nullopt when none answered, a colour was unknown, or both answered.
    std::optional<Color> unanimous() const;
    int answers() const { return blue + green + unknown; }
    // "4 of 4 answers blue", "3 blue and 1 green of 4 requests", "no answer: connection refused"
    std::string describe() const;
};

ServedReading read_served(const EntrypointProbe& probe, int samples);

struct ColorConfirmation {
    bool confirmed = false;
    bool colorless = false;  // an answer named no colour: the entrypoint cannot confirm anything
    long long took_ms = 0;
    int requests = 0;
    std::string detail;  // why not, or how
};

ColorConfirmation wait_for_color(const EntrypointProbe& probe, Color target, std::chrono::milliseconds bound,
                                 int in_a_row = 3);

}  // namespace bluegreen_switch
