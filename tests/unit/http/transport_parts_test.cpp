// The transport's pure parts: header capture, error classification, names.

#include <gtest/gtest.h>

#include <string>

#include "adapters/http/error_map.hpp"
#include "adapters/http/http_client.hpp"
#include "adapters/http/response_headers.hpp"

namespace psd::http {
namespace {

using detail::BodyLimit;
using detail::capture_header_line;
using detail::classify;

TEST(CaptureHeaderLine, KeepsOnlyTheFinalResponsesHeaders) {
  Response response;
  for (const char* line : {"HTTP/1.1 100 Continue\r\n", "ETag: \"interim\"\r\n", "\r\n",
                           "HTTP/1.1 200 OK\r\n", "Content-Type: text/plain\r\n", "\r\n"}) {
    capture_header_line(line, response);
  }
  EXPECT_EQ(response.etag, "");
  EXPECT_EQ(response.content_type, "text/plain");
}

TEST(CaptureHeaderLine, MatchesNamesCaseInsensitivelyAndTrimsValues) {
  Response response;
  capture_header_line("etag:\t\"x1\" \r\n", response);
  capture_header_line("x-CATALOGUE-version:  42\r\n", response);
  capture_header_line("RETRY-AFTER: Wed, 21 Oct 2015 07:28:00 GMT\r\n", response);
  capture_header_line("content-type:application/json\r\n", response);
  capture_header_line("X-Other: ignored\r\n", response);

  EXPECT_EQ(response.etag, "\"x1\"");
  EXPECT_EQ(response.catalogue_version, "42");
  EXPECT_EQ(response.retry_after, "Wed, 21 Oct 2015 07:28:00 GMT");
  EXPECT_EQ(response.content_type, "application/json");
}

TEST(CaptureHeaderLine, LeavesBodyAndStatusAlone) {
  Response response;
  response.body = "b";
  capture_header_line("HTTP/1.1 200 OK\r\n", response);
  capture_header_line("no colon here\r\n", response);
  EXPECT_EQ(response.body, "b");
  EXPECT_EQ(response.etag, "");
}

TEST(Classify, MapsCurlCodesToTransportErrors) {
  EXPECT_EQ(classify(CURLE_OK, BodyLimit::within), TransportError::none);
  EXPECT_EQ(classify(CURLE_OPERATION_TIMEDOUT, BodyLimit::within), TransportError::timeout);
  EXPECT_EQ(classify(CURLE_COULDNT_CONNECT, BodyLimit::within), TransportError::connect);
  EXPECT_EQ(classify(CURLE_COULDNT_RESOLVE_HOST, BodyLimit::within), TransportError::connect);
  EXPECT_EQ(classify(CURLE_COULDNT_RESOLVE_PROXY, BodyLimit::within), TransportError::connect);
  EXPECT_EQ(classify(CURLE_RECV_ERROR, BodyLimit::within), TransportError::reset);
  EXPECT_EQ(classify(CURLE_SEND_ERROR, BodyLimit::within), TransportError::reset);
  EXPECT_EQ(classify(CURLE_GOT_NOTHING, BodyLimit::within), TransportError::reset);
  EXPECT_EQ(classify(CURLE_PARTIAL_FILE, BodyLimit::within), TransportError::reset);
  EXPECT_EQ(classify(CURLE_SSL_CONNECT_ERROR, BodyLimit::within), TransportError::tls);
  EXPECT_EQ(classify(CURLE_PEER_FAILED_VERIFICATION, BodyLimit::within), TransportError::tls);
  EXPECT_EQ(classify(CURLE_SSL_CACERT_BADFILE, BodyLimit::within), TransportError::tls);
  EXPECT_EQ(classify(CURLE_SSL_CERTPROBLEM, BodyLimit::within), TransportError::tls);
  EXPECT_EQ(classify(CURLE_FILESIZE_EXCEEDED, BodyLimit::within), TransportError::too_large);
  EXPECT_EQ(classify(CURLE_WRITE_ERROR, BodyLimit::exceeded), TransportError::too_large);
  EXPECT_EQ(classify(CURLE_WRITE_ERROR, BodyLimit::within), TransportError::other);
  EXPECT_EQ(classify(CURLE_UNSUPPORTED_PROTOCOL, BodyLimit::within), TransportError::other);
}

TEST(ToString, NamesMethodsAsHttpDoes) {
  EXPECT_STREQ(to_string(Method::get), "GET");
  EXPECT_STREQ(to_string(Method::post), "POST");
  EXPECT_STREQ(to_string(Method::put), "PUT");
  EXPECT_STREQ(to_string(Method::del), "DELETE");
}

TEST(ToString, NamesEveryTransportError) {
  EXPECT_STREQ(to_string(TransportError::none), "none");
  EXPECT_STREQ(to_string(TransportError::timeout), "timeout");
  EXPECT_STREQ(to_string(TransportError::connect), "connect");
  EXPECT_STREQ(to_string(TransportError::reset), "reset");
  EXPECT_STREQ(to_string(TransportError::tls), "tls");
  EXPECT_STREQ(to_string(TransportError::too_large), "too_large");
  EXPECT_STREQ(to_string(TransportError::other), "other");
}

}  // namespace
}  // namespace psd::http
