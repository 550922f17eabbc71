#include "bluegreen-switch/prometheus_query.hpp"

#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "gantry/base/error.hpp"
#include "gantry/http/http_client.hpp"

namespace bluegreen_switch {

namespace {

// Prometheus sends sample values as strings ("0.25", "NaN", "+Inf"); strtod reads all of them.
double sample_value(const nlohmann::json& pair) {
    if (!pair.is_array() || pair.size() != 2 || !pair[1].is_string()) {
        throw gantry::ValueError("a sample is not [time, \"value\"]");
    }
    const std::string& text = pair[1].get_ref<const std::string&>();
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    if (end == text.c_str() || *end != '\0') throw gantry::ValueError("a sample value is not a number: " + text);
    return value;
}

std::string series_name(const nlohmann::json& metric) {
    std::string name = "{";
    if (metric.is_object()) {
        bool first = true;
        for (const auto& [key, value] : metric.items()) {
            name += fmt::format("{}{}=\"{}\"", first ? "" : ",", key, value.is_string() ? value.get<std::string>() : value.dump());
            first = false;
        }
    }
    return name + "}";
}

}  // namespace

std::vector<PrometheusSample> query_prometheus(const PrometheusQuery& where, const std::string& promql) {
    std::string base = where.base_url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    gantry::http::HttpRequest request;
    request.url = base + "/api/v1/query?query=" + gantry::http::url_encode(promql);
    request.timeout = where.timeout;
    request.connect_timeout = std::min(where.timeout, std::chrono::milliseconds(3000));
    request.ca_file = where.ca_file;
    request.certificate_details = gantry::http::CertificateDetails::Skip;
    request.headers.emplace_back("Accept", "application/json");
    if (!where.token.empty()) request.headers.emplace_back("Authorization", "Bearer " + where.token);
    const gantry::http::HttpResponse response = gantry::http::perform(request);
    const std::string at = "Prometheus " + base;
    if (response.failure != gantry::http::TransportFailure::None) {
        throw gantry::EnvironmentError(fmt::format("{} cannot be reached: {}", at, response.transport_error));
    }
    nlohmann::json answer;
    try {
        answer = nlohmann::json::parse(response.body);
    } catch (const nlohmann::json::exception&) {
        throw gantry::EnvironmentError(fmt::format("{} answered HTTP {} without Prometheus's JSON", at, response.status));
    }
    if (response.status == 400 || response.status == 422) {
        // Prometheus says the query itself is wrong: no retry makes it right.
        throw gantry::InputError(fmt::format("{} refused the query '{}': {}", at, promql, answer.value("error", std::string("HTTP ") + std::to_string(response.status))));
    }
    if (response.status != 200 || answer.value("status", "") != "success") {
        throw gantry::EnvironmentError(fmt::format("{} answered HTTP {}: {}", at, response.status,
                                                   answer.is_object() ? answer.value("error", std::string("no error text")) : "no error text"));
    }
    std::vector<PrometheusSample> samples;
    try {
        const nlohmann::json& data = answer.at("data");
        const std::string type = data.at("resultType").get<std::string>();
        const nlohmann::json& result = data.at("result");
        if (type == "scalar") {
            samples.push_back({"scalar", sample_value(result)});
        } else if (type == "vector") {
            for (const auto& series : result) samples.push_back({series_name(series.value("metric", nlohmann::json::object())), sample_value(series.at("value"))});
        } else {
            throw gantry::InputError(fmt::format("the query '{}' gives a {} result: expected an instant vector or a scalar "
                                                 "(no range selector [5m] at the top level)", promql, type));
        }
    } catch (const nlohmann::json::exception& error) {
        throw gantry::EnvironmentError(fmt::format("{} answered JSON that is not a query result: {}", at, error.what()));
    } catch (const gantry::ValueError& error) {
        throw gantry::EnvironmentError(fmt::format("{} answered JSON that is not a query result: {}", at, error.what()));
    }
    return samples;
}

}  // namespace bluegreen_switch
