#include "tests/support/test_ca.hpp"

#include <memory>
#include <mutex>
#include <stdexcept>
#include <vector>

#include "tests/support/child_process.hpp"
#include "tests/support/temp_dir.hpp"

namespace psd::testing {
namespace {

// Extensions of each certificate; -subj gives the names, so [dn] stays empty.
constexpr const char* kConfig = R"([req]
distinguished_name = dn
[dn]
[ca_ext]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[server_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1, DNS:localhost
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[client_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
)";

void openssl(const TempDir& dir, const std::vector<std::string>& args) {
  ChildOptions options;
  options.working_dir = dir.path();
  options.env = {"OPENSSL_CONF=" + dir.file("openssl.cnf")};
  ChildProcess child("openssl", args, options);
  const auto code = child.wait(std::chrono::seconds(60));
  child.wait_output_closed(std::chrono::seconds(5));
  if (code != 0) {
    std::string command = "openssl";
    for (const auto& a : args) {
      command += " " + a;
    }
    throw std::runtime_error("test CA: '" + command + "' failed in " + dir.path() + ": " +
                             child.stderr_text());
  }
}

void key(const TempDir& dir, const std::string& name) {
  openssl(dir, {"genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out",
                name + ".key"});
}

void self_signed(const TempDir& dir, const std::string& name, const std::string& subject,
                 const std::string& extensions) {
  key(dir, name);
  openssl(dir,
          {"req", "-new", "-x509", "-key", name + ".key", "-subj", subject, "-days", "7", "-sha256",
           "-config", "openssl.cnf", "-extensions", extensions, "-out", name + ".pem"});
}

void signed_by_ca(const TempDir& dir, const std::string& name, const std::string& subject,
                  const std::string& extensions, const std::string& serial) {
  key(dir, name);
  openssl(dir, {"req", "-new", "-key", name + ".key", "-subj", subject, "-config", "openssl.cnf",
                "-out", name + ".csr"});
  openssl(dir, {"x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                "-set_serial", serial, "-days", "7", "-sha256", "-extfile", "openssl.cnf",
                "-extensions", extensions, "-out", name + ".pem"});
}

TestCa generate(const TempDir& dir) {
  dir.write("openssl.cnf", kConfig);
  self_signed(dir, "ca", "/CN=portal-syncd test CA", "ca_ext");
  signed_by_ca(dir, "server", "/CN=127.0.0.1", "server_ext", "2");
  signed_by_ca(dir, "client", "/CN=province-h43", "client_ext", "3");
  self_signed(dir, "untrusted", "/CN=127.0.0.1", "server_ext");
  self_signed(dir, "other-client", "/CN=intruder", "client_ext");
  TestCa ca;
  ca.dir = dir.path();
  const auto pem = [&](const char* name) { return dir.file(std::string(name) + ".pem"); };
  const auto pkey = [&](const char* name) { return dir.file(std::string(name) + ".key"); };
  ca.ca_cert = pem("ca");
  ca.ca_key = pkey("ca");
  ca.server_cert = pem("server");
  ca.server_key = pkey("server");
  ca.client_cert = pem("client");
  ca.client_key = pkey("client");
  ca.untrusted_cert = pem("untrusted");
  ca.untrusted_key = pkey("untrusted");
  ca.other_client_cert = pem("other-client");
  ca.other_client_key = pkey("other-client");
  return ca;
}

}  // namespace

const TestCa& test_ca() {
  // A static TempDir: the files go when the test binary exits.
  static std::once_flag once;
  static std::unique_ptr<TempDir> dir;
  static TestCa ca;
  std::call_once(once, [] {
    dir = std::make_unique<TempDir>();
    ca = generate(*dir);
  });
  return ca;
}

}  // namespace psd::testing
