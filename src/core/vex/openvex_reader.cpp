// OpenVEX documents (https://github.com/openvex/spec, v0.2.0): statements[] of vulnerability x products
// x status. Products are read as purls: a product's subcomponents when it lists any (the statement is
// about those packages inside the product), else the product itself; `@id` and identifiers.purl both
// count. OpenVEX 0.0.x wrote the vulnerability and each product as a plain string; both are accepted.
#include <algorithm>

#include <fmt/format.h>

#include "gantry/json/json_cursor.hpp"
#include "gantry/vex/vex_document.hpp"
#include "vex_json_dates.hpp"

namespace gantry {
namespace {

using Value = JsonCursor::Value;

constexpr std::string_view kContextPrefix = "https://openvex.dev/ns";

std::optional<VexStatus> openvex_status(std::string_view text) {
    if (text == "not_affected") return VexStatus::NotAffected;
    if (text == "affected") return VexStatus::Affected;
    if (text == "fixed") return VexStatus::Fixed;
    if (text == "under_investigation") return VexStatus::UnderInvestigation;
    return std::nullopt;
}

class OpenVexReader {
public:
    explicit OpenVexReader(JsonDocument& document) : cursor_(document) {}

    VexDocument read() {
        VexDocument out;
        out.path = cursor_.document().name();
        out.format = VexFormat::OpenVex;
        std::optional<std::chrono::sys_days> timestamp;
        std::optional<std::chrono::sys_days> last_updated;
        auto root = cursor_.document().root_object();
        cursor_.for_each_field(root, [&](std::string_view key, Value& value) {
            if (key == "@context") {
                const auto context = cursor_.read_string(value);
                if (!context || !context->starts_with(kContextPrefix)) {
                    cursor_.fail(fmt::format("expected an OpenVEX context starting with \"{}\"", kContextPrefix));
                }
            } else if (key == "@id") {
                cursor_.read_string_into(value, out.id);
            } else if (key == "timestamp") {
                timestamp = read_day(value);
            } else if (key == "last_updated") {
                last_updated = read_day(value);
            } else if (key == "statements") {
                if (cursor_.type_of(value) != JsonCursor::Type::array) {
                    cursor_.fail_expected("an array of statements", cursor_.type_of(value));
                }
                cursor_.for_each_element(value, [&](Value& statement) { out.statements.push_back(read_statement(statement)); });
            }
        });
        const auto document_day = last_updated ? last_updated : timestamp;
        for (auto& statement : out.statements) {
            if (!statement.date) statement.date = document_day;
        }
        return out;
    }

private:
    std::optional<std::chrono::sys_days> read_day(Value& value) { return read_rfc3339_day(cursor_, value); }

    VexStatement read_statement(Value& value) {
        VexStatement statement;
        statement.pointer = cursor_.pointer();
        std::optional<std::chrono::sys_days> timestamp;
        std::optional<std::chrono::sys_days> last_updated;
        bool has_status = false;
        bool has_products = false;
        if (cursor_.type_of(value) != JsonCursor::Type::object) {
            cursor_.fail_expected("a statement object", cursor_.type_of(value));
        }
        cursor_.for_each_field(value, [&](std::string_view key, Value& field) {
            if (key == "vulnerability") {
                read_vulnerability(field, statement);
            } else if (key == "products") {
                has_products = cursor_.type_of(field) != JsonCursor::Type::null;
                cursor_.for_each_element(field, [&](Value& product) { read_product(product, statement); });
            } else if (key == "status") {
                const auto text = cursor_.read_string(field);
                const auto status = text ? openvex_status(*text) : std::nullopt;
                if (!status) {
                    cursor_.fail(fmt::format("expected a status: not_affected, affected, fixed or under_investigation{}",
                                             text ? fmt::format(", found \"{}\"", *text) : std::string()));
                }
                statement.status = *status;
                has_status = true;
            } else if (key == "justification") {
                cursor_.read_string_into(field, statement.justification);
            } else if (key == "impact_statement") {
                cursor_.read_string_into(field, statement.impact_statement);
            } else if (key == "timestamp") {
                timestamp = read_day(field);
            } else if (key == "last_updated") {
                last_updated = read_day(field);
            }
        });
        if (statement.vulnerability_ids.empty()) {
            cursor_.fail("a statement needs a vulnerability with a name or @id");
        }
        if (!has_status) cursor_.fail("a statement needs a status (not_affected, affected, fixed or under_investigation)");
        if (!has_products) cursor_.fail("a statement needs products (purls of the packages it is about)");
        statement.date = last_updated ? last_updated : timestamp;
        return statement;
    }

    void add_id(VexStatement& statement, std::string_view id) {
        if (id.empty()) return;
        if (std::find(statement.vulnerability_ids.begin(), statement.vulnerability_ids.end(), id) ==
            statement.vulnerability_ids.end()) {
            statement.vulnerability_ids.emplace_back(id);
        }
    }

    void read_vulnerability(Value& value, VexStatement& statement) {
        if (cursor_.type_of(value) == JsonCursor::Type::string) {  // OpenVEX 0.0.x
            add_id(statement, *cursor_.read_string(value));
            return;
        }
        std::string name;
        std::string iri;
        std::vector<std::string> aliases;
        cursor_.for_each_field(value, [&](std::string_view key, Value& field) {
            if (key == "name") {
                cursor_.read_string_into(field, name);
            } else if (key == "@id") {
                cursor_.read_string_into(field, iri);
            } else if (key == "aliases") {
                cursor_.for_each_element(field, [&](Value& alias) {
                    if (const auto text = cursor_.read_string(alias)) aliases.emplace_back(*text);
                });
            }
        });
        add_id(statement, name);
        add_id(statement, iri);
        for (const auto& alias : aliases) add_id(statement, alias);
    }

    // One component's identity: its @id and identifiers.purl (both may name the same purl).
    void read_component(Value& value, std::vector<std::string>& purls,
                        std::vector<std::string>* subcomponents) {
        if (cursor_.type_of(value) == JsonCursor::Type::string) {  // OpenVEX 0.0.x
            purls.emplace_back(*cursor_.read_string(value));
            return;
        }
        if (cursor_.type_of(value) != JsonCursor::Type::object) {
            cursor_.fail_expected("a product object with an @id", cursor_.type_of(value));
        }
        cursor_.for_each_field(value, [&](std::string_view key, Value& field) {
            if (key == "@id") {
                if (const auto text = cursor_.read_string(field)) purls.emplace_back(*text);
            } else if (key == "identifiers") {
                cursor_.for_each_field(field, [&](std::string_view identifier, Value& id_value) {
                    if (identifier == "purl") {
                        if (const auto text = cursor_.read_string(id_value)) purls.emplace_back(*text);
                    }
                });
            } else if (key == "subcomponents" && subcomponents) {
                cursor_.for_each_element(field, [&](Value& sub) { read_component(sub, *subcomponents, nullptr); });
            }
        });
    }

    void read_product(Value& value, VexStatement& statement) {
        std::vector<std::string> product;
        std::vector<std::string> subcomponents;
        read_component(value, product, &subcomponents);
        auto& chosen = subcomponents.empty() ? product : subcomponents;
        statement.products.insert(statement.products.end(), chosen.begin(), chosen.end());
    }

    JsonCursor cursor_;
};

}  // namespace

VexDocument read_openvex(JsonDocument& document) { return OpenVexReader(document).read(); }

}  // namespace gantry
