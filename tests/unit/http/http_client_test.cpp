// One request at a time over real loopback HTTP: what goes out, what comes
// back, and how each kind of failure is reported.

#include "adapters/http/http_client.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>

#include "tests/unit/http/loopback_server.hpp"
#include "tests/unit/http/raw_server.hpp"

namespace psd::http {
namespace {

using namespace std::chrono_literals;
using test::LoopbackServer;
using test::RawServer;

// What the echo handler saw of the last request.
struct Seen {
  std::string method;
  std::string body;
  std::string authorization;
  std::string trace;
  std::string content_type;
  bool expect = false;
};

class HttpClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto echo = [this](const httplib::Request& request, httplib::Response& response) {
      std::lock_guard lock(mutex_);
      seen_ = Seen{request.method,
                   request.body,
                   request.get_header_value("Authorization"),
                   request.get_header_value("X-Trace"),
                   request.get_header_value("Content-Type"),
                   request.has_header("Expect")};
      response.status = request.method == "POST" ? 201 : 200;
      response.set_content(request.method + " " + request.body, "text/plain");
    };
    server_.server.Get("/echo", echo);
    server_.server.Post("/echo", echo);
    server_.server.Put("/echo", echo);
    server_.server.Delete("/echo", echo);
    server_.server.Get("/headers", [](const httplib::Request&, httplib::Response& response) {
      response.set_header("etag", "\"v7\"");
      response.set_header("X-CATALOGUE-VERSION", "  2024-05-01  ");
      response.set_header("retry-after", "120");
      response.set_content("{}", "application/json; charset=utf-8");
    });
    server_.server.Get("/busy", [](const httplib::Request&, httplib::Response& response) {
      response.status = 503;
      response.set_header("Retry-After", "7");
      response.set_content("busy", "text/plain");
    });
    server_.server.Get("/slow", [this](const httplib::Request&, httplib::Response& response) {
      server_.sleep_for(5s);
      response.set_content("late", "text/plain");
    });
    server_.server.Get("/bytes/exact", [](const httplib::Request&, httplib::Response& response) {
      response.set_content(std::string(kLimit, 'x'), "text/plain");
    });
    server_.server.Get("/bytes/over", [](const httplib::Request&, httplib::Response& response) {
      response.set_content(std::string(kLimit + 1, 'x'), "text/plain");
    });
    server_.server.Get("/bytes/chunked", [](const httplib::Request&, httplib::Response& response) {
      // No Content-Length, so only the write callback can notice the size.
      response.set_chunked_content_provider("text/plain",
                                            [](std::size_t offset, httplib::DataSink& sink) {
                                              const std::string chunk(1024, 'x');
                                              if (offset >= 4 * kLimit) {
                                                sink.done();
                                                return true;
                                              }
                                              return sink.write(chunk.data(), chunk.size());
                                            });
    });
    server_.start();
  }

  Seen seen() {
    std::lock_guard lock(mutex_);
    return seen_;
  }

  static HttpOptions options() {
    HttpOptions options;
    options.timeout = 10s;  // only so a broken build fails instead of hanging
    options.max_body_bytes = kLimit;
    return options;
  }

  static constexpr std::size_t kLimit = 4096;
  LoopbackServer server_;
  std::mutex mutex_;
  Seen seen_;
};

TEST_F(HttpClientTest, GetSendsMethodAndHeadersAndReturnsStatusAndBody) {
  HttpClient client(options());
  const Response response = client.perform(test::make_request(
      Method::get, server_.url("/echo"), {"Authorization: Bearer t0k", "X-Trace: abc"}, "", 42));

  EXPECT_TRUE(response.ok()) << response.error_message;
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "GET ");
  EXPECT_EQ(response.content_type, "text/plain");
  EXPECT_EQ(response.tag, 42u);
  EXPECT_EQ(seen().method, "GET");
  EXPECT_EQ(seen().authorization, "Bearer t0k");
  EXPECT_EQ(seen().trace, "abc");
}

TEST_F(HttpClientTest, PostSendsBodyAndCallersContentType) {
  HttpClient client(options());
  const Response response = client.perform(
      test::make_request(Method::post, server_.url("/echo"),
                         {"Content-Type: application/json", "X-Trace: p"}, R"({"code":"A1"})"));

  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(response.body, R"(POST {"code":"A1"})");
  EXPECT_EQ(seen().method, "POST");
  EXPECT_EQ(seen().body, R"({"code":"A1"})");
  EXPECT_EQ(seen().content_type, "application/json");
  EXPECT_EQ(seen().trace, "p");
}

TEST_F(HttpClientTest, PutSendsBodyWithPutMethod) {
  HttpClient client(options());
  const std::string binary("a\0b", 3);  // POSTFIELDS must be sized, not strlen'd
  const Response response = client.perform(test::make_request(
      Method::put, server_.url("/echo"), {"Content-Type: application/octet-stream"}, binary));

  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(seen().method, "PUT");
  EXPECT_EQ(seen().body, binary);
  EXPECT_EQ(seen().content_type, "application/octet-stream");
}

TEST_F(HttpClientTest, DeleteSendsDeleteMethodAndHeaders) {
  HttpClient client(options());
  const Response response = client.perform(
      test::make_request(Method::del, server_.url("/echo"), {"Authorization: Bearer d3l"}));

  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "DELETE ");
  EXPECT_EQ(seen().method, "DELETE");
  EXPECT_EQ(seen().authorization, "Bearer d3l");
}

TEST_F(HttpClientTest, LargeBodyIsSentWithoutExpectContinue) {
  HttpOptions roomy = options();
  roomy.max_body_bytes = 8u << 20;  // the echo sends the body back
  HttpClient client(roomy);
  const std::string body(2u << 20, 'b');  // libcurl adds Expect: 100-continue above 1 MiB
  // httplib caps form-encoded bodies (libcurl's default type) at 8 KiB.
  const std::string kOctets = "Content-Type: application/octet-stream";
  const Response post =
      client.perform(test::make_request(Method::post, server_.url("/echo"), {kOctets}, body));
  EXPECT_EQ(post.status, 201);
  EXPECT_FALSE(seen().expect);
  EXPECT_EQ(seen().body.size(), body.size());

  const Response put =
      client.perform(test::make_request(Method::put, server_.url("/echo"), {kOctets}, body));
  EXPECT_EQ(put.status, 200);
  EXPECT_FALSE(seen().expect);
  EXPECT_EQ(seen().body.size(), body.size());
}

TEST_F(HttpClientTest, CapturesResponseHeadersCaseInsensitivelyAndTrimmed) {
  HttpClient client(options());
  const Response response =
      client.perform(test::make_request(Method::get, server_.url("/headers")));

  EXPECT_EQ(response.etag, "\"v7\"");
  EXPECT_EQ(response.catalogue_version, "2024-05-01");
  EXPECT_EQ(response.retry_after, "120");
  EXPECT_EQ(response.content_type, "application/json; charset=utf-8");
}

TEST_F(HttpClientTest, ErrorStatusIsAResponseNotATransportError) {
  HttpClient client(options());
  const Response response = client.perform(test::make_request(Method::get, server_.url("/busy")));

  EXPECT_FALSE(response.ok());
  EXPECT_EQ(response.error, TransportError::none);
  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(response.body, "busy");
  EXPECT_EQ(response.retry_after, "7");
}

TEST_F(HttpClientTest, SlowServerMapsToTimeout) {
  HttpOptions short_timeout = options();
  short_timeout.timeout = 200ms;
  HttpClient client(short_timeout);
  const Response response = client.perform(test::make_request(Method::get, server_.url("/slow")));

  EXPECT_EQ(response.error, TransportError::timeout) << response.error_message;
  EXPECT_EQ(response.status, 0);
  EXPECT_TRUE(response.body.empty());
}

TEST_F(HttpClientTest, AbandonEndsATransferInFlightAndRefusesNewOnes) {
  std::stop_source abandon;
  HttpOptions options_with_abandon = options();
  options_with_abandon.abandon = abandon.get_token();
  HttpClient client(options_with_abandon);
  // The server holds its answer for 5 s; the abandon comes while the request waits.
  std::thread stopper([&] {
    std::this_thread::sleep_for(200ms);
    abandon.request_stop();
  });
  const Response response = client.perform(test::make_request(Method::get, server_.url("/slow")));
  stopper.join();
  EXPECT_EQ(response.error, TransportError::aborted) << response.status << " " << response.body;
  EXPECT_EQ(response.status, 0);

  const Response after = client.perform(test::make_request(Method::get, server_.url("/echo")));
  EXPECT_EQ(after.error, TransportError::aborted);
  EXPECT_NE(after.error_message.find("shutting down"), std::string::npos);
}

TEST_F(HttpClientTest, RefusedConnectionMapsToConnect) {
  HttpClient client(options());
  const std::string url = "http://127.0.0.1:" + std::to_string(test::unused_port()) + "/x";
  const Response response = client.perform(test::make_request(Method::get, url));

  EXPECT_EQ(response.error, TransportError::connect) << response.error_message;
  EXPECT_EQ(response.status, 0);
}

TEST_F(HttpClientTest, BodyAtTheLimitIsAccepted) {
  HttpClient client(options());
  const Response response =
      client.perform(test::make_request(Method::get, server_.url("/bytes/exact")));

  EXPECT_TRUE(response.ok()) << response.error_message;
  EXPECT_EQ(response.body.size(), kLimit);
}

TEST_F(HttpClientTest, ContentLengthOverTheLimitMapsToTooLarge) {
  HttpClient client(options());
  const Response response =
      client.perform(test::make_request(Method::get, server_.url("/bytes/over")));

  EXPECT_EQ(response.error, TransportError::too_large) << response.error_message;
  EXPECT_EQ(response.status, 0);
  EXPECT_TRUE(response.body.empty());
}

TEST_F(HttpClientTest, ChunkedBodyOverTheLimitMapsToTooLarge) {
  HttpClient client(options());
  const Response response =
      client.perform(test::make_request(Method::get, server_.url("/bytes/chunked")));

  EXPECT_EQ(response.error, TransportError::too_large) << response.error_message;
  EXPECT_TRUE(response.body.empty());
}

TEST_F(HttpClientTest, ErrorMessageNamesMethodAndUrlButNoHeaderValue) {
  HttpOptions short_timeout = options();
  short_timeout.timeout = 200ms;
  HttpClient client(short_timeout);
  const std::string refused = "http://127.0.0.1:" + std::to_string(test::unused_port()) + "/x";
  const std::string slow = server_.url("/slow");

  const Response a =
      client.perform(test::make_request(Method::get, refused, {"Authorization: Bearer s3cr3t-a"}));
  const Response b =
      client.perform(test::make_request(Method::get, slow, {"Authorization: Bearer s3cr3t-b"}));

  EXPECT_EQ(a.error_message.rfind("GET " + refused + ": ", 0), 0u) << a.error_message;
  EXPECT_GT(a.error_message.size(), ("GET " + refused + ": ").size());
  EXPECT_EQ(a.error_message.find("s3cr3t"), std::string::npos) << a.error_message;
  EXPECT_EQ(b.error_message.rfind("GET " + slow + ": ", 0), 0u) << b.error_message;
  EXPECT_EQ(b.error_message.find("s3cr3t"), std::string::npos) << b.error_message;
}

TEST_F(HttpClientTest, ErrorMessageHidesUserinfoInTheUrl) {
  HttpClient client(options());
  const std::string port = std::to_string(test::unused_port());
  const Response response =
      client.perform(test::make_request(Method::get, "http://user:pa55@127.0.0.1:" + port + "/x"));

  EXPECT_EQ(response.error, TransportError::connect) << response.error_message;
  EXPECT_NE(response.error_message.find("http://***@127.0.0.1:" + port + "/x"), std::string::npos)
      << response.error_message;
  EXPECT_EQ(response.error_message.find("pa55"), std::string::npos) << response.error_message;
}

TEST(HttpClientRawTest, InterimContinueHeadersAreDropped) {
  RawServer server(
      "HTTP/1.1 100 Continue\r\nETag: \"interim\"\r\nContent-Type: text/interim\r\n\r\n"
      "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/final\r\n\r\nok");
  HttpClient client(HttpOptions{});
  const Response response = client.perform(test::make_request(Method::get, server.url()));

  EXPECT_TRUE(response.ok()) << response.error_message;
  EXPECT_EQ(response.body, "ok");
  EXPECT_EQ(response.content_type, "text/final");
  EXPECT_EQ(response.etag, "");
}

TEST(HttpClientRawTest, EmptyReplyMapsToReset) {
  RawServer server("");
  HttpClient client(HttpOptions{});
  const Response response = client.perform(test::make_request(Method::get, server.url()));

  EXPECT_EQ(response.error, TransportError::reset) << response.error_message;
}

TEST(HttpClientRawTest, ShortBodyMapsToReset) {
  RawServer server("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc");
  HttpClient client(HttpOptions{});
  const Response response = client.perform(test::make_request(Method::get, server.url()));

  EXPECT_EQ(response.error, TransportError::reset) << response.error_message;
  EXPECT_EQ(response.status, 0);
}

TEST(HttpClientRawTest, PlainHttpAnsweringHttpsMapsToTls) {
  RawServer server("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
  HttpClient client(HttpOptions{});
  const Response response = client.perform(test::make_request(Method::get, server.url("https")));

  EXPECT_EQ(response.error, TransportError::tls) << response.error_message;
}

TEST(HttpClientRawTest, UnsupportedSchemeIsRefusedWithoutTouchingFiles) {
  HttpClient client(HttpOptions{});
  const Response response = client.perform(test::make_request(Method::get, "file:///etc/hostname"));

  EXPECT_EQ(response.error, TransportError::other) << response.error_message;
  EXPECT_TRUE(response.body.empty());
}

}  // namespace
}  // namespace psd::http
