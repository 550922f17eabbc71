// A CI shard: part I of N of a run (`--shard I/N`), for matrix jobs. The plain run takes every Nth
// check; a load test takes every Nth request of the schedule and every Nth virtual user.
#pragma once

namespace smoke_test {

struct Shard {
    int index = 1;  // 1-based
    int count = 1;
};

}  // namespace smoke_test
