#include <cstring>
#include <string>

#include "gantry/base/error.hpp"

namespace gantry {

std::string SourcePosition::describe() const {
    std::string where = file;
    if (line > 0) {
        // Without a file name "3:17" would read like a ratio or a time; spell it out instead.
        if (where.empty()) {
            where = "line " + std::to_string(line);
            if (column > 0) where += ", column " + std::to_string(column);
        } else {
            where += ":" + std::to_string(line);
            if (column > 0) where += ":" + std::to_string(column);
        }
    }
    if (!pointer.empty()) {
        where += where.empty() ? "at " + pointer : " (at " + pointer + ")";
    }
    return where;
}

InputError unreadable_input(const std::string& file, int error_number) {
    return InputError(SourcePosition{file},
                      std::string("cannot read: ") + (error_number != 0 ? std::strerror(error_number) : "input/output error"));
}

}  // namespace gantry
