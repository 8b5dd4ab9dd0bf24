#pragma once
// A throw-away PKI for HTTPS tests, made with the openssl command line at
// test time (EC P-256 keys: fast), once per test binary, in a temporary
// directory removed at exit.
//
//   const auto& ca = psd::testing::test_ca();
//   SimProcess::Options o;
//   o.tls = {ca.server_cert, ca.server_key, "", ca.ca_cert};
//   config.tls.ca_file = ca.ca_cert;

#include <string>

namespace psd::testing {

/// Paths of PEM files.
struct TestCa {
  std::string dir;
  std::string ca_cert;  // the test CA (self-signed, CA:TRUE)
  std::string ca_key;
  std::string server_cert;  // for 127.0.0.1 and localhost, signed by the CA
  std::string server_key;
  std::string client_cert;  // clientAuth, signed by the CA (mutual TLS)
  std::string client_key;
  std::string untrusted_cert;  // self-signed for 127.0.0.1 and localhost: nobody trusts it
  std::string untrusted_key;
  std::string other_client_cert;  // clientAuth, self-signed: not from the CA
  std::string other_client_key;
};

/// The PKI of this test binary, generated on first use. Throws
/// std::runtime_error (with openssl's stderr) when openssl fails.
const TestCa& test_ca();

}  // namespace psd::testing
