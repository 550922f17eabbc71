// URIs written into reports: links to advisories and artifact locations.
//
// Scanners hand over URLs and paths as found, with spaces, quotes, backslashes or non-ASCII bytes;
// SARIF's schema wants RFC 3986 URIs (`format: uri` / `uri-reference`) and GitHub rejects what it
// cannot parse. Both functions percent-encode every byte RFC 3986 does not allow (and a "%" that
// does not start an escape); nothing else is changed, so an already valid URI comes out the same.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gantry {

// An http(s) URL as a valid URI, or nullopt when `url` is not an http(s) URL with a host part.
std::optional<std::string> web_url(std::string_view url);

// A file path, image name or URI as a URI reference: backslashes become slashes, a leading "./"
// goes, and colons are encoded unless the text is already "scheme://..." (in "alpine:3.10" the
// colon would otherwise make "alpine" a scheme). An absolute path ("/var/lib/dpkg/status",
// "C:\src\a.c") becomes a file URI ("file:///var/lib/dpkg/status", "file:///C:/src/a.c"): SARIF
// readers resolve a relative reference against a base URI, which a leading slash would defeat (the
// SARIF Multitool reports it as error SARIF1004). Empty gives "unknown".
std::string artifact_uri(std::string_view path);

}  // namespace gantry
