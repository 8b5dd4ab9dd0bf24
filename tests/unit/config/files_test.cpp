// resolve_file, $CREDENTIALS_DIRECTORY and read_secret.

#include <string>

#include "tests/unit/config/config_test_support.hpp"

namespace psd::config::test {
namespace {

TEST_F(ConfigTest, ResolveFileLeavesAbsoluteAndEmptyPathsAlone) {
  EXPECT_EQ(resolve_file("/etc/pki/ca.pem", dir_.path()), "/etc/pki/ca.pem");
  EXPECT_EQ(resolve_file("", dir_.path()), "");
}

TEST_F(ConfigTest, ResolveFileFallsBackToTheConfigFolder) {
  EXPECT_EQ(resolve_file("client_secret", dir_.path()), dir_.path() / "client_secret");
  EXPECT_EQ(resolve_file("secrets/token", dir_.path()), dir_.path() / "secrets/token");
}

TEST_F(ConfigTest, ResolveFilePrefersCredentialsDirectoryWhenItHoldsTheFile) {
  TempDir credentials;
  credentials.write("client_secret", "s\n");
  ScopedEnv env("CREDENTIALS_DIRECTORY", credentials.path().string());
  EXPECT_EQ(resolve_file("client_secret", dir_.path()), credentials.path() / "client_secret");
  // Not there: next to the config, even if that file does not exist either.
  EXPECT_EQ(resolve_file("token", dir_.path()), dir_.path() / "token");
}

TEST_F(ConfigTest, EmptyCredentialsDirectoryIsIgnored) {
  dir_.write("client_secret", "s\n");
  ScopedEnv env("CREDENTIALS_DIRECTORY", std::string());
  EXPECT_EQ(resolve_file("client_secret", dir_.path()), dir_.path() / "client_secret");
}

TEST_F(ConfigTest, ConfigResolvesEveryInputFile) {
  TempDir credentials;
  credentials.write("client_secret", "secret\n");
  credentials.write("key.pem", "key");
  ScopedEnv env("CREDENTIALS_DIRECTORY", credentials.path().string());
  Doc doc;
  doc.set("provincial", "token_file", R"("token")")
      .set("tls", "ca_file", R"("ca.pem")")
      .set("tls", "client_cert", R"("/etc/pki/cert.pem")")
      .set("tls", "client_key", R"("key.pem")");
  const Config config = load_config(dir_.write("conf/portal-syncd.toml", doc.text()));
  EXPECT_EQ(config.national.client_secret_file, credentials.path() / "client_secret");
  EXPECT_EQ(config.provincial.token_file, dir_.path() / "conf" / "token");
  EXPECT_EQ(config.tls.ca_file, dir_.path() / "conf" / "ca.pem");
  EXPECT_EQ(config.tls.client_cert, "/etc/pki/cert.pem");
  EXPECT_EQ(config.tls.client_key, credentials.path() / "key.pem");
}

TEST_F(ConfigTest, ReadSecretStripsOneTrailingNewline) {
  EXPECT_EQ(read_secret(dir_.write("a", "s3cr3t\n")), "s3cr3t");
  EXPECT_EQ(read_secret(dir_.write("b", "s3cr3t\r\n")), "s3cr3t");
  EXPECT_EQ(read_secret(dir_.write("c", "s3cr3t")), "s3cr3t");
  EXPECT_EQ(read_secret(dir_.write("d", "with space=/+")), "with space=/+");
}

// Expect read_secret(path) to fail naming the path and never `secret`.
void expect_secret_refused(const fs::path& path, const std::string& secret) {
  const auto read = read_secret(path);
  ASSERT_FALSE(read) << "no error for " << path;
  EXPECT_THAT(read.error().message, testing::HasSubstr(path.string()));
  if (!secret.empty()) {
    EXPECT_THAT(read.error().message, testing::Not(testing::HasSubstr(secret)));
  }
}

TEST_F(ConfigTest, ReadSecretErrorsNameThePathNotTheSecret) {
  expect_secret_refused(dir_.write("empty", ""), "");
  expect_secret_refused(dir_.write("newline", "\n"), "");
  expect_secret_refused(dir_.write("crlf", "\r\n"), "");
  expect_secret_refused(dir_.write("two-newlines", "hunter2\n\n"), "hunter2");
  expect_secret_refused(dir_.write("two-lines", "hunter2\nhunter3\n"), "hunter2");
  expect_secret_refused(dir_.write("tab", "hunter2\tx"), "hunter2");
  expect_secret_refused(dir_.write("huge", std::string(std::size_t{100} * 1024, 'h')), "hhhhhhhh");
  expect_secret_refused(dir_.path() / "missing", "");
  expect_secret_refused(dir_.path(), "");
}

TEST_F(ConfigTest, ASecretFileOthersMayReadGetsAWarningNamingItAndItsMode) {
  const fs::path path = dir_.write("client_secret", "s3cr3t\n");
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_FALSE(secret_file_warning(path));
  fs::permissions(path, fs::perms::owner_read | fs::perms::group_read);
  EXPECT_FALSE(secret_file_warning(path)) << "the group is the service's own (LoadCredential)";
  fs::permissions(path, fs::perms::owner_read | fs::perms::others_read);
  const auto warning = secret_file_warning(path);
  ASSERT_TRUE(warning);
  EXPECT_NE(warning->find(path.string()), std::string::npos);
  EXPECT_NE(warning->find("0404"), std::string::npos);
  EXPECT_EQ(warning->find("s3cr3t"), std::string::npos);
  EXPECT_FALSE(secret_file_warning(dir_.path() / "missing"));
}

}  // namespace
}  // namespace psd::config::test
