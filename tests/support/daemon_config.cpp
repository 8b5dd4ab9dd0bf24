#include "tests/support/daemon_config.hpp"

#include <cstdio>

namespace psd::testing {
namespace {

// A TOML basic string: quotes and backslashes escaped, controls as \uXXXX.
std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(ch);
    } else if (c < 0x20 || c == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out.push_back(ch);
    }
  }
  return out + "\"";
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  std::string s = buf;
  if (s.find_first_of(".e") == std::string::npos) {
    s += ".0";  // TOML floats need a fraction or an exponent
  }
  return s;
}

}  // namespace

DaemonConfig DaemonConfig::for_sim(const SimProcess& sim, const TempDir& dir) {
  DaemonConfig c;
  c.province = sim.province();
  c.state_dir = dir.file("state");
  c.status_file = dir.file("status.json");
  c.metrics_file = dir.file("metrics.prom");
  c.control_socket = dir.file("control.sock");
  c.provincial_base_url = sim.provincial_url();
  c.national_base_url = sim.national_url();
  c.token_url = sim.token_url();
  c.client_id = sim.client_id();
  c.client_secret = sim.client_secret();
  return c;
}

std::string DaemonConfig::to_toml() const {
  std::string t;
  const auto kv = [&t](const char* key, const std::string& value) {
    t += std::string(key) + " = " + value + "\n";
  };
  kv("province", quoted(province));
  kv("state_dir", quoted(state_dir));
  kv("status_file", quoted(status_file));
  kv("metrics_file", quoted(metrics_file));
  kv("control_socket", quoted(control_socket));
  kv("poll_interval", quoted(poll_interval));
  kv("full_resync_interval", quoted(full_resync_interval));
  for (const auto& line : extra_top_level) {
    t += line + "\n";
  }
  t += "\n[provincial]\n";
  kv("base_url", quoted(provincial_base_url));
  kv("token_file", quoted(provincial_token_file));
  kv("page_size", std::to_string(provincial_page_size));
  kv("timeout", quoted(provincial_timeout));
  t += "\n[national]\n";
  kv("base_url", quoted(national_base_url));
  kv("token_url", quoted(token_url));
  kv("client_id", quoted(client_id));
  kv("client_secret_file", quoted(client_secret_file));
  kv("max_concurrency", std::to_string(max_concurrency));
  kv("max_requests_per_second", std::to_string(max_requests_per_second));
  kv("timeout", quoted(national_timeout));
  t += "\n[retry]\n";
  kv("initial_backoff", quoted(initial_backoff));
  kv("max_backoff", quoted(max_backoff));
  kv("max_attempts", std::to_string(max_attempts));
  t += "\n[safety]\n";
  kv("withdraw_removed", withdraw_removed ? "true" : "false");
  kv("max_withdraw_fraction", number(max_withdraw_fraction));
  kv("max_catalogue_shrink", number(max_catalogue_shrink));
  t += "\n[tls]\n";
  kv("allow_insecure_http", allow_insecure_http ? "true" : "false");
  return t;
}

std::string DaemonConfig::write(const TempDir& dir, const std::string& name) const {
  if (!client_secret.empty()) {
    const bool relative = !client_secret_file.empty() && client_secret_file[0] != '/';
    if (relative) {
      dir.write(client_secret_file, client_secret);
    }
  }
  return dir.write(name, to_toml(), 0644);
}

}  // namespace psd::testing
