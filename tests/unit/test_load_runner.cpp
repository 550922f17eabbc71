#include <doctest/doctest.h>

#include "smoke-test/load_runner.hpp"

using namespace smoke_test::load;

TEST_CASE("load runner: libcurl's receive buffers shrink as more requests are in flight, within libcurl's bounds") {
    CHECK(receive_buffer_bytes(0) == 16 * 1024);
    CHECK(receive_buffer_bytes(64) == 16 * 1024);
    CHECK(receive_buffer_bytes(512) == 16 * 1024);
    CHECK(receive_buffer_bytes(1000) == 8 * 1024 * 1024 / 1000);
    CHECK(receive_buffer_bytes(8192) == 1024);
    CHECK(receive_buffer_bytes(10000) == 1024);
    CHECK(receive_buffer_bytes(1000) * 1000 <= 8 * 1024 * 1024);
    CHECK(kUploadBufferBytes == 16 * 1024);  // CURLOPT_UPLOAD_BUFFERSIZE's minimum
}
