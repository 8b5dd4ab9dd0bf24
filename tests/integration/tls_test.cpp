// HTTPS with verification always on: the daemon against portal-sim serving
// a certificate from a test CA made at test time (tests/support/test_ca).
#include <gtest/gtest.h>

#include "tests/integration/daemon_run.hpp"
#include "tests/support/sim_process.hpp"
#include "tests/support/test_ca.hpp"

namespace psd::testing {
namespace {

std::vector<std::string> small_args() {
  return {"--services", "20", "--full", "10", "--integrated", "5"};
}

SimProcess::Options https_sim(const std::string& cert, const std::string& key,
                              const std::string& client_ca = "") {
  const TestCa& ca = test_ca();
  SimProcess::Options options;
  options.args = small_args();
  options.tls.cert_file = cert;
  options.tls.key_file = key;
  options.tls.client_ca_file = client_ca;
  options.tls.ca_file = ca.ca_cert;
  options.tls.client_cert_file = ca.client_cert;
  options.tls.client_key_file = ca.client_key;
  return options;
}

std::string tls_table(const std::string& ca_file, const std::string& cert = "",
                      const std::string& key = "") {
  std::string table = "ca_file = \"" + ca_file + "\"\n";
  if (!cert.empty()) table += "client_cert = \"" + cert + "\"\nclient_key = \"" + key + "\"\n";
  return table;
}

void expect_nothing_reached_the_portal(const SimProcess& sim) {
  const SimLedger ledger = sim.ledger();
  EXPECT_EQ(ledger.puts, 0u);
  EXPECT_EQ(ledger.catalogue_pages, 0u);
}

TEST(Tls, TheTestCaGivenAsCaFileIsTrusted) {
  const TestCa& ca = test_ca();
  SimProcess sim(https_sim(ca.server_cert, ca.server_key));
  ASSERT_TRUE(sim.https());
  DaemonRun run(sim, "", "", tls_table(ca.ca_cert));
  const DaemonResult result = run.once();
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(sim.coverage().in_sync, sim.coverage().total_active);
}

TEST(Tls, AnUntrustedCertificateIsRefusedAndNamed) {
  const TestCa& ca = test_ca();
  SimProcess sim(https_sim(ca.untrusted_cert, ca.untrusted_key));
  DaemonRun run(sim, "", "", tls_table(ca.ca_cert));
  const DaemonResult result = run.once();
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.err.find(sim.provincial_url()), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("certificate"), std::string::npos) << result.err;
  expect_nothing_reached_the_portal(sim);
}

TEST(Tls, TheSystemTrustStoreDoesNotTrustTheTestCa) {
  const TestCa& ca = test_ca();
  SimProcess sim(https_sim(ca.server_cert, ca.server_key));
  DaemonRun run(sim, "", "", "");
  const DaemonResult result = run.once();
  EXPECT_NE(result.exit_code, 0) << result.err;
  expect_nothing_reached_the_portal(sim);
}

TEST(Tls, MutualTlsPresentsTheClientCertificate) {
  const TestCa& ca = test_ca();
  SimProcess sim(https_sim(ca.server_cert, ca.server_key, ca.ca_cert));
  DaemonRun run(sim, "", "", tls_table(ca.ca_cert, ca.client_cert, ca.client_key));
  const DaemonResult result = run.once();
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(sim.coverage().in_sync, sim.coverage().total_active);
}

TEST(Tls, APortalAskingForAClientCertificateRefusesAClientWithout) {
  const TestCa& ca = test_ca();
  SimProcess sim(https_sim(ca.server_cert, ca.server_key, ca.ca_cert));
  DaemonRun run(sim, "", "", tls_table(ca.ca_cert));
  const DaemonResult result = run.once();
  EXPECT_NE(result.exit_code, 0) << result.err;
  expect_nothing_reached_the_portal(sim);
}

TEST(Tls, PlainHttpIsRefusedBeforeAnyRequestUnlessAllowed) {
  SimProcess sim(small_args());
  DaemonRun run(sim, "", "", "");
  const DaemonResult result = run.once();
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE(result.err.find("allow_insecure_http"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("http://"), std::string::npos) << result.err;
  const SimLedger ledger = sim.ledger();
  EXPECT_EQ(ledger.token_requests, 0u);
  EXPECT_EQ(ledger.catalogue_pages, 0u);
  EXPECT_EQ(ledger.puts, 0u);
}

}  // namespace
}  // namespace psd::testing
