// portal-sim over HTTPS with a test CA made at test time: verification
// against the CA, an untrusted certificate refused, mutual TLS, the plain
// control port, and connection resets inside TLS.

#include <gtest/gtest.h>

#include <csignal>

#include "tests/support/child_process.hpp"
#include "tests/support/sim_process.hpp"
#include "tests/support/test_ca.hpp"
#include "tests/unit/sim/test_util.hpp"

namespace psd::sim {
namespace {

using namespace std::chrono_literals;

using psd::testing::SimFaultProfile;
using psd::testing::SimProcess;
using psd::testing::test_ca;

// httplib 0.11's TLS client writes (a close_notify, a request) with plain
// write(): on a connection the server refused or reset, that raises SIGPIPE,
// which must not kill the test binary (any real client ignores it).
const bool kSigpipeIgnored = [] {
  std::signal(SIGPIPE, SIG_IGN);
  return true;
}();

SimProcess::Options https_sim(bool mutual, const std::string& cert, const std::string& key) {
  const auto& ca = test_ca();
  SimProcess::Options o;
  o.args = {"--services", "6", "--full", "2", "--integrated", "1"};
  o.tls.cert_file = cert;
  o.tls.key_file = key;
  o.tls.client_ca_file = mutual ? ca.ca_cert : "";
  o.tls.ca_file = ca.ca_cert;
  if (mutual) {
    o.tls.client_cert_file = ca.client_cert;
    o.tls.client_key_file = ca.client_key;
  }
  return o;
}

SimProcess::Options https_sim(bool mutual = false) {
  return https_sim(mutual, test_ca().server_cert, test_ca().server_key);
}

// An HTTPS client that verifies the simulator against `ca_file` (empty: the
// system's CAs), with an optional client certificate.
std::unique_ptr<httplib::SSLClient> tls_client(const SimProcess& sim, const std::string& ca_file,
                                               const std::string& cert = "",
                                               const std::string& key = "") {
  auto c = cert.empty() ? std::make_unique<httplib::SSLClient>("127.0.0.1", sim.port())
                        : std::make_unique<httplib::SSLClient>("127.0.0.1", sim.port(), cert, key);
  if (!ca_file.empty()) {
    c->set_ca_cert_path(ca_file);
  }
  c->enable_server_certificate_verification(true);
  c->set_connection_timeout(10s);
  c->set_read_timeout(30s);
  return c;
}

TEST(SimTls, ServesHttpsVerifiedByTheTestCa) {
  SimProcess sim(https_sim());
  EXPECT_TRUE(sim.https());
  EXPECT_EQ(sim.base_url(), "https://127.0.0.1:" + std::to_string(sim.port()));
  EXPECT_NE(sim.control_port(), sim.port());
  const std::string out = sim.stdout_text();
  EXPECT_NE(out.find("portal-sim control on http://127.0.0.1:" +
                     std::to_string(sim.control_port()) + "\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("portal-sim listening on https://127.0.0.1:" + std::to_string(sim.port())),
            std::string::npos)
      << out;

  auto c = tls_client(sim, test_ca().ca_cert);
  auto res = c->Get("/provincial/services");
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 200);
  EXPECT_FALSE(sim.access_token().empty()) << "the harness speaks TLS too";
  // The host name is in the certificate as well as the address.
  httplib::SSLClient by_name("localhost", sim.port());
  by_name.set_ca_cert_path(test_ca().ca_cert);
  by_name.enable_server_certificate_verification(true);
  res = by_name.Get("/provincial/services");
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 200);
  // Control over plain HTTP, and on the HTTPS port as well.
  EXPECT_EQ(sim.ledger().catalogue_pages, 2u);
  EXPECT_EQ(c->Get("/_sim/ledger")->status, 200);
  // Plain HTTP on the HTTPS port gets no HTTP answer.
  httplib::Client plain("127.0.0.1", sim.port());
  plain.set_read_timeout(10s);
  res = plain.Get("/provincial/services");
  EXPECT_TRUE(!res || res->status != 200);
}

TEST(SimTls, UntrustedCertificateIsRefused) {
  SimProcess sim(https_sim(false, test_ca().untrusted_cert, test_ca().untrusted_key));
  auto res = tls_client(sim, test_ca().ca_cert)->Get("/provincial/services");
  ASSERT_FALSE(res);
  EXPECT_EQ(res.error(), httplib::Error::SSLServerVerification);
  // Nor is the test CA trusted by the system.
  SimProcess trusted_by_test_only(https_sim());
  res = tls_client(trusted_by_test_only, "")->Get("/provincial/services");
  ASSERT_FALSE(res);
  EXPECT_EQ(res.error(), httplib::Error::SSLServerVerification);
  EXPECT_EQ(trusted_by_test_only.ledger().catalogue_pages, 0u);
}

TEST(SimTls, MutualTlsRequiresAClientCertificateFromTheCa) {
  SimProcess sim(https_sim(true));
  const auto& ca = test_ca();
  EXPECT_FALSE(tls_client(sim, ca.ca_cert)->Get("/provincial/services"));
  EXPECT_FALSE(tls_client(sim, ca.ca_cert, ca.other_client_cert, ca.other_client_key)
                   ->Get("/provincial/services"));
  auto res =
      tls_client(sim, ca.ca_cert, ca.client_cert, ca.client_key)->Get("/provincial/services");
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 200);
  EXPECT_FALSE(sim.access_token().empty());
  EXPECT_EQ(sim.ledger().catalogue_pages, 1u) << "the control port needs no certificate";
}

TEST(SimTls, ResetsAndApplyResetsInsideTls) {
  auto o = https_sim();
  o.args = {"--services", "6", "--full", "2", "--integrated", "0"};
  o.faults.p_apply_reset = 1;
  o.faults.targets = "put";
  SimProcess sim(o);
  const auto bodies = test::missing_bodies(sim);  // SimProcess::get speaks TLS
  ASSERT_FALSE(bodies.empty());
  const std::string token = sim.access_token();
  auto c = tls_client(sim, test_ca().ca_cert);
  const httplib::Headers h{{"Authorization", "Bearer " + token}, {"Idempotency-Key", "k1"}};
  auto res = c->Put(test::service_path(bodies[0].first), h, bodies[0].second, "application/json");
  EXPECT_FALSE(res);
  EXPECT_EQ(sim.ledger().apply_resets, 1u);
  EXPECT_EQ(sim.ledger().creates, 1u);

  SimFaultProfile reset;
  reset.p_apply_reset = 0;
  reset.p_reset = 1;
  sim.set_faults(reset);
  auto c2 = tls_client(sim, test_ca().ca_cert);
  res = c2->Put(test::service_path(bodies[1].first), h, bodies[1].second, "application/json");
  EXPECT_FALSE(res);
  EXPECT_EQ(sim.ledger().resets, 1u);
  EXPECT_EQ(sim.ledger().creates, 1u);

  reset.p_reset = 0;
  sim.set_faults(reset);
  auto c3 = tls_client(sim, test_ca().ca_cert);
  res = c3->Put(test::service_path(bodies[0].first), h, bodies[0].second, "application/json");
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 201);
  EXPECT_EQ(res->get_header_value("Idempotent-Replayed"), "true");
  EXPECT_EQ(sim.ledger().wasted_writes, 0u);
}

TEST(SimTls, UnreadableTlsFilesExitWithOneNamingTheFile) {
  psd::testing::ChildProcess child(
      psd::testing::sim_binary(),
      {"--tls-cert", "/nonexistent/server.pem", "--tls-key", test_ca().server_key});
  EXPECT_EQ(child.wait(30s), 1);
  child.wait_output_closed(5s);
  EXPECT_NE(child.stderr_text().find("/nonexistent/server.pem"), std::string::npos)
      << child.stderr_text();
  psd::testing::ChildProcess half(psd::testing::sim_binary(),
                                  {"--tls-cert", test_ca().server_cert});
  EXPECT_EQ(half.wait(30s), 2);
}

}  // namespace
}  // namespace psd::sim
