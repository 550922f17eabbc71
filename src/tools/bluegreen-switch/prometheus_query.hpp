// One Prometheus instant query (GET <url>/api/v1/query?query=...), its answer as plain numbers.
//
// query_prometheus() sends the PromQL with the bearer token when there is one and reads the JSON
// answer: a vector gives one value per series (named by its labels, for messages), a scalar one
// value; an empty vector gives none (the caller decides what "no data" means). A matrix or string
// result is an InputError (exit 2: the query is wrong for an instant check). Prometheus unreachable,
// an HTTP error status or an answer that is not Prometheus's JSON is an EnvironmentError (exit 3);
// the caller retries. The token never appears in a message.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace bluegreen_switch {

struct PrometheusSample {
    std::string series;  // "{code=\"5xx\",proxy=\"be_app\"}", or "scalar"
    double value = 0;
};

struct PrometheusQuery {
    std::string base_url;  // --prometheus-url
    std::string token;     // "" = none
    std::string ca_file;
    std::chrono::milliseconds timeout{5000};
};

std::vector<PrometheusSample> query_prometheus(const PrometheusQuery& where, const std::string& promql);

}  // namespace bluegreen_switch
