// Moving what a result refers to from its input run into its output run, and rewriting every
// reference by index on the way. Internal to src/core/sarif.
//
// The SARIF 2.1.0 schema has fifteen integer properties that index an array (SarifSchema::
// index_properties()); RunMapper handles each, wherever the schema puts it - found by walking the
// value along the schema (SarifSchema::visit), never by member names inside free-form property bags:
//   artifactLocation.index       -> run.artifacts: the artifact is carried over, the index rewritten
//   logicalLocation.index,
//   logicalLocation.parentIndex  -> run.logicalLocations: the table is carried over, indexes rewritten
//   threadFlowLocation.index     -> run.threadFlowLocations: likewise
//   reportingDescriptorReference.index and toolComponentReference.index
//                                -> in result.rule: rewritten by the merger (the rule is carried over);
//                                   in taxa and rule relationships: the taxonomy in run.taxonomies is
//                                   carried over (found by index, guid or name) and the component
//                                   index rewritten; the descriptor index into the taxonomy's own taxa
//                                   stays. In a supportedTaxonomies reference likewise.
//   result.ruleIndex             -> rewritten by the merger with the rule
//   webRequest.index, webResponse.index
//                                -> run.webRequests / run.webResponses are not carried over: the entry
//                                   is copied into the result's own object, under what it states itself
//   artifact.parentIndex, address.index, address.parentIndex, resultProvenance.invocationIndex,
//   graphTraversal.runGraphIndex, toolComponentReference.index of an associatedComponent, and
//   reportingDescriptorReference.index of a descriptor that is not in a taxonomy
//                                -> their arrays (run.addresses, run.invocations, run.graphs, ...) are
//                                   not carried over: the index is removed (a graph traversal left
//                                   without a graph is then removed by the schema repair)
//   graphTraversal.resultGraphIndex
//                                -> result.graphs travels with the result: unchanged
// An index that does not name an entry of its table (out of range, or an entry that is not valid
// SARIF and cannot be repaired) is removed. Every entry carried over is repaired against the schema
// (SarifSchema::repair) and kept once per output table. Removals are counted through `record`.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "gantry/sarif/sarif_schema.hpp"
#include "sarif_merge_runs.hpp"

namespace gantry::sarif_merge_detail {

class RunMapper {
public:
    using Record = std::function<void(const std::string& kind, const std::string& detail)>;

    RunMapper(const SarifSchema& schema, SourceRun& source, OutputRun& out, Record record, std::size_t& uris_normalised)
        : schema_(schema), source_(source), out_(out), record_(std::move(record)), uris_normalised_(uris_normalised) {}

    // Rewrites every reference by index inside `value`, taken as an instance of `definition`
    // ("result", "reportingDescriptor", "toolComponent", ...), carrying over what they name.
    void map(Json& value, std::string_view definition);

    // A copy of a tool component (driver, extension) for the output run: its rules left out, its
    // references rewritten, repaired against the schema.
    Json component_copy(const Json& component);

    // Index in the output's run.taxonomies of the source's taxonomy `index`; nullopt when unusable.
    std::optional<std::size_t> taxonomy(std::size_t index);

    // Repairs a copy going into an output table; false when it cannot be kept. Removals are recorded.
    bool repair(Json& value, std::string_view definition);

private:
    std::optional<std::size_t> artifact(std::size_t index);
    std::optional<std::size_t> logical_location(std::size_t index);
    std::optional<std::size_t> thread_flow_location(std::size_t index);
    std::optional<std::size_t> taxonomy_named(const Json& reference);
    void map_logical_locations();
    void map_thread_flow_locations();
    void visit(std::string_view definition, Json& object, std::string_view member);
    void remap_component_reference(Json& reference);
    void inline_cached(Json& object, const Json& table, const char* what);
    void removed(const char* property, const char* why);

    const SarifSchema& schema_;
    SourceRun& source_;
    OutputRun& out_;
    Record record_;
    std::size_t& uris_normalised_;
};

}  // namespace gantry::sarif_merge_detail
