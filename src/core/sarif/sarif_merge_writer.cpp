// Writing the merged log: runs cut into pieces, packed into files that fit GitHub's limits, each
// written from the spools.
#include "sarif_merge_state.hpp"

#include "gantry/json/json_indenting_output.hpp"

namespace gantry {

namespace {

std::string slug(std::string_view text) {
    std::string out;
    for (char c : text) {
        const bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (keep) {
            out += c;
        } else if (c >= 'A' && c <= 'Z') {
            out += static_cast<char>(c - 'A' + 'a');
        } else if (!out.empty() && out.back() != '-') {
            out += '-';
        }
    }
    while (!out.empty() && out.back() == '-') out.pop_back();
    return out.empty() ? "sarif" : out;
}

}  // namespace

namespace {

// Optional bulk GitHub does not need to show an alert: snippets and context regions everywhere in
// the result, and every code flow after the first.
bool strip_bulk(Json& node) {
    bool changed = false;
    if (node.is_object()) {
        changed |= node.erase("snippet") > 0;
        changed |= node.erase("contextRegion") > 0;
        if (auto flows = node.find("codeFlows"); flows != node.end() && flows->is_array() && flows->size() > 1) {
            flows->erase(flows->begin() + 1, flows->end());
            changed = true;
        }
        for (auto& [key, child] : node.items()) changed |= strip_bulk(child);
    } else if (node.is_array()) {
        for (auto& child : node) changed |= strip_bulk(child);
    }
    return changed;
}

}  // namespace

std::vector<Piece> SarifMerger::State::make_pieces() {
    std::vector<Piece> pieces;
    std::unordered_set<std::string> ids;
    for (auto& run : runs) {
        // A unique category per run: GitHub rejects two runs of one tool and category in an upload.
        const std::string category = run->category.empty() ? slug(run->tool_name) : run->category;
        std::string id = category;
        for (int n = 2; !ids.insert(id).second; ++n) id = category + "-" + std::to_string(n);
        run->id = id;
        Piece piece;
        piece.run = run.get();
        piece.id = id;
        piece.slots.resize(run->slots.size());
        for (std::uint32_t i = 0; i < piece.slots.size(); ++i) piece.slots[i] = i;
        if (options.target == UploadTarget::Github && piece.slots.size() > github_limits::kResultsPerRun) {
            // GitHub keeps only the most severe results of a run; choose them here and say so.
            std::stable_sort(piece.slots.begin(), piece.slots.end(), [&](std::uint32_t a, std::uint32_t b) {
                return run->slots[a].score > run->slots[b].score;
            });
            const std::size_t dropped = piece.slots.size() - github_limits::kResultsPerRun;
            piece.slots.resize(github_limits::kResultsPerRun);
            std::sort(piece.slots.begin(), piece.slots.end());
            record("results-over-limit", run->label(),
                   fmt::format("kept the {} most severe results of the run", github_limits::kResultsPerRun), dropped);
            stats.results_written -= dropped;
        }
        for (std::uint32_t slot : piece.slots) piece.raw_bytes += run->slots[slot].length + 1;
        pieces.push_back(std::move(piece));
    }
    return pieces;
}

void SarifMerger::State::write_piece(std::ostream& out, Piece& piece, Trim trim, bool count_changes, KeyOrder order) {
    OutputRun& run = *piece.run;
    Json driver = run.driver;
    driver["rules"] = run.rules[kDriver];
    Json tool = {{"driver", std::move(driver)}};
    if (!run.extensions.empty()) {
        Json extensions = Json::array();
        for (std::size_t i = 0; i < run.extensions.size(); ++i) {
            Json extension = run.extensions[i];
            extension["rules"] = run.rules[i + 1];
            extensions.push_back(std::move(extension));
        }
        tool["extensions"] = std::move(extensions);
    }
    Json head = {{"tool", std::move(tool)}, {"automationDetails", {{"id", piece.id + "/"}}}};
    if (!run.artifacts.empty()) {
        head["artifacts"] = run.artifacts;
        if (!source_root.empty()) {
            for (auto& artifact : head["artifacts"]) {
                if (auto location = artifact.find("location"); location != artifact.end()) {
                    Json wrapper = {{"artifactLocation", *location}};
                    rebase(wrapper);
                    *location = wrapper["artifactLocation"];
                }
            }
        }
    }
    if (!run.logical_locations.empty()) head["logicalLocations"] = run.logical_locations;
    if (!run.thread_flow_locations.empty()) head["threadFlowLocations"] = run.thread_flow_locations;
    if (!run.taxonomies.empty()) head["taxonomies"] = run.taxonomies;
    if (!run.original_uri_base_ids.empty()) head["originalUriBaseIds"] = run.original_uri_base_ids;
    // The results go in after the head's members, or, sorted, between those before "results" and
    // those after it.
    Json tail = Json::object();
    if (order == KeyOrder::Sorted) {
        for (auto it = head.begin(); it != head.end();) {
            if (it.key() > "results") {
                tail[it.key()] = std::move(it.value());
                it = head.erase(it);
            } else {
                ++it;
            }
        }
    }
    std::string text = head.dump(-1, ' ', false, Json::error_handler_t::replace);
    text.pop_back();  // reopen the object to append the results
    out << text << (head.empty() ? "" : ",") << R"("results":[)";

    std::FILE* spool = run.spool.get();
    std::uint64_t position = UINT64_MAX;
    std::string buffer;
    bool first = true;
    for (std::uint32_t index : piece.slots) {
        const Slot& slot = run.slots[index];
        if (position != slot.offset && fseeko(spool, static_cast<off_t>(slot.offset), SEEK_SET) != 0) {
            throw EnvironmentError("cannot read back a temporary file of merged SARIF results");
        }
        buffer.resize(slot.length);
        if (std::fread(buffer.data(), 1, slot.length, spool) != slot.length) {
            throw EnvironmentError("cannot read back a temporary file of merged SARIF results");
        }
        position = slot.offset + slot.length;
        if (trim == Trim::Bulk) {
            Json result = Json::parse(buffer);
            if (strip_bulk(result)) {
                buffer = result.dump(-1, ' ', false, Json::error_handler_t::replace);
                if (count_changes) {
                    record("bulk-trimmed", run.label(), "snippets, context regions and extra code flows removed to fit 10 MB gzipped");
                }
            }
        }
        out << (first ? "" : ",") << buffer;
        first = false;
    }
    out << "]";
    if (tail.empty()) {
        out << "}";
    } else {
        const std::string rest = tail.dump(-1, ' ', false, Json::error_handler_t::replace);
        out << "," << std::string_view(rest).substr(1);  // the members after "results", and the run's "}"
    }
}

void SarifMerger::State::write_log(std::ostream& out, std::vector<Piece*>& pieces, Trim trim, bool count_changes,
                                   KeyOrder order) {
    out << (order == KeyOrder::Sorted ? R"({"$schema":"https://json.schemastore.org/sarif-2.1.0.json","runs":[)"
                                      : R"({"$schema":"https://json.schemastore.org/sarif-2.1.0.json","version":"2.1.0","runs":[)");
    bool first = true;
    for (Piece* piece : pieces) {
        out << (first ? "" : ",");
        first = false;
        write_piece(out, *piece, trim, count_changes, order);
    }
    out << (order == KeyOrder::Sorted ? R"(],"version":"2.1.0"})" : "]}");
    if (!out) throw EnvironmentError("cannot write the merged SARIF log");
}

void SarifMerger::State::finish_changes() {
    stats.changes.clear();
    for (const auto& [key, count] : change_counts) {
        stats.changes.push_back({std::get<0>(key), std::get<1>(key), count, std::get<2>(key)});
    }
}

void SarifMerger::write(std::ostream& out) {
    State& s = *state_;
    s.written = true;
    std::vector<Piece> pieces = s.make_pieces();
    std::vector<Piece*> all;
    for (auto& piece : pieces) all.push_back(&piece);
    s.write_log(out, all, Trim::None, true, KeyOrder::AsWritten);
    s.stats.runs_written = pieces.size();
    s.finish_changes();
}

std::filesystem::path numbered_output_path(const std::filesystem::path& output, std::size_t number) {
    const std::string name = output.filename().string();
    const auto dot = name.find('.', 1);
    const std::string numbered = dot == std::string::npos
                                     ? name + "." + std::to_string(number)
                                     : name.substr(0, dot) + "." + std::to_string(number) + name.substr(dot);
    return output.parent_path() / numbered;
}

namespace {

std::size_t gzipped_file_size(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    GzipOutput counter(nullptr);
    counter << in.rdbuf();
    counter.finish();
    return counter.compressed_bytes();
}

}  // namespace

std::vector<SarifOutputFile> SarifMerger::write_files(const std::filesystem::path& output, Compression compression,
                                                      SarifLayout layout) {
    State& s = *state_;
    // --pretty is indented on its way to the file (a fixed buffer, whatever the size), in the key order
    // a parsed tree's dump(2) has, so it is byte for byte what parsing and dumping the log would give.
    const auto write_laid_out = [&s](std::ostream& out, std::vector<Piece*>& pieces, Trim trim, SarifLayout chosen) {
        if (chosen == SarifLayout::Minified) {
            s.write_log(out, pieces, trim, true, KeyOrder::AsWritten);
            return;
        }
        JsonIndentingOutput indented(out);
        s.write_log(indented, pieces, trim, true, KeyOrder::Sorted);
        indented.finish();
        out << '\n';
        if (!indented || !out) throw EnvironmentError("cannot write the merged SARIF log");
    };
    s.written = true;
    std::vector<Piece> pieces = s.make_pieces();
    const bool github = s.options.target == UploadTarget::Github;
    constexpr double kLimit = static_cast<double>(github_limits::kGzippedBytes);

    Trim trim = Trim::None;
    std::vector<std::vector<Piece*>> files(1);
    for (auto& piece : pieces) files[0].push_back(&piece);
    if (github) {
        // Measure only when it can matter: a file under the limit uncompressed is under it gzipped.
        std::uint64_t raw_total = 0;
        for (const auto& piece : pieces) raw_total += piece.raw_bytes + 4096;
        auto measure = [&] {
            double total = 0;
            for (auto& piece : pieces) {
                GzipOutput counter(nullptr);
                s.write_piece(counter, piece, trim, false, KeyOrder::AsWritten);
                counter.finish();
                piece.gzipped_estimate = static_cast<double>(counter.compressed_bytes());
                total += piece.gzipped_estimate;
            }
            return total;
        };
        const double budget = kLimit * 0.95;
        double gzipped_total = static_cast<double>(raw_total) <= budget ? 0 : measure();
        if (gzipped_total > budget) {
            trim = Trim::Bulk;
            gzipped_total = measure();
        }
        if (gzipped_total > budget || pieces.size() > github_limits::kRunsPerFile) {
            // Split runs too big for one file into parts (each its own category), then pack in order.
            std::vector<Piece> parts;
            for (auto& piece : pieces) {
                const std::size_t count =
                    piece.gzipped_estimate > budget ? static_cast<std::size_t>(std::ceil(piece.gzipped_estimate / budget)) : 1;
                if (count == 1 || piece.slots.size() < 2) {
                    parts.push_back(std::move(piece));
                    continue;
                }
                const std::size_t per_part = (piece.slots.size() + count - 1) / count;
                for (std::size_t begin = 0, n = 1; begin < piece.slots.size(); begin += per_part, ++n) {
                    Piece part;
                    part.run = piece.run;
                    part.id = piece.id + "-part-" + std::to_string(n);
                    const std::size_t end = std::min(piece.slots.size(), begin + per_part);
                    part.slots.assign(piece.slots.begin() + static_cast<std::ptrdiff_t>(begin),
                                      piece.slots.begin() + static_cast<std::ptrdiff_t>(end));
                    part.gzipped_estimate = piece.gzipped_estimate * static_cast<double>(end - begin) /
                                            static_cast<double>(piece.slots.size());
                    parts.push_back(std::move(part));
                }
                s.record("run-split", piece.run->label(), fmt::format("results split into {} runs, one per upload file", count));
            }
            pieces = std::move(parts);
            files.clear();
            double in_file = 0;
            for (auto& piece : pieces) {
                if (files.empty() || files.back().size() >= github_limits::kRunsPerFile ||
                    (!files.back().empty() && in_file + piece.gzipped_estimate > budget)) {
                    files.emplace_back();
                    in_file = 0;
                }
                files.back().push_back(&piece);
                in_file += piece.gzipped_estimate;
            }
            if (files.size() > 1) {
                s.record("split", "", fmt::format("{} upload files of at most {} runs and 10 MB gzipped",
                                                  files.size(), github_limits::kRunsPerFile),
                         files.size());
            }
        }
    }

    std::vector<SarifOutputFile> written;
    for (std::size_t f = 0; f < files.size(); ++f) {
        SarifOutputFile file;
        file.path = files.size() == 1 ? output : numbered_output_path(output, f + 1);
        write_file_atomically(file.path, [&](std::ostream& out) {
            if (compression == Compression::Gzip) {
                GzipOutput gzip(&out);
                write_laid_out(gzip, files[f], trim, layout);
                gzip.finish();
            } else {
                write_laid_out(out, files[f], trim, layout);
            }
        });
        std::error_code error;
        file.bytes = static_cast<std::size_t>(std::filesystem::file_size(file.path, error));
        if (github) file.gzipped_bytes = compression == Compression::Gzip ? file.bytes : gzipped_file_size(file.path);
        for (Piece* piece : files[f]) {
            file.runs += 1;
            file.results += piece->slots.size();
            file.categories.push_back(piece->id);
        }
        if (github && file.gzipped_bytes > github_limits::kGzippedBytes) {
            s.stats.warnings.push_back(fmt::format("{} is {} bytes gzipped, over GitHub's 10 MB: a single run's results "
                                                   "are too large even after trimming",
                                                   file.path.string(), file.gzipped_bytes));
        }
        written.push_back(std::move(file));
    }
    s.stats.runs_written = pieces.size();
    for (auto& run : s.runs) run->spool.reset();
    s.finish_changes();
    return written;
}

}  // namespace gantry
