// The random fault profile: each fault alone on real loopback HTTP, what the
// ledger counts, and that a retry with the same Idempotency-Key is a replay.

#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <thread>

#include "tests/support/ledger_has.hpp"
#include "tests/support/sim_process.hpp"
#include "tests/support/wait.hpp"
#include "tests/unit/sim/test_util.hpp"

namespace psd::sim::test {
namespace {

using namespace std::chrono_literals;

using psd::testing::ledger_has;

constexpr const char* kListPath = "/national/provinces/H43/services";

SimProcess::Options small_world(SimFaultProfile faults, std::vector<std::string> more = {}) {
  SimProcess::Options o;
  o.args = {"--services", "12", "--full", "4", "--integrated", "2"};
  o.args.insert(o.args.end(), more.begin(), more.end());
  o.faults = std::move(faults);
  return o;
}

/// What a test writes with: the PUT bodies of the world's missing services
/// and a token.
struct Missing {
  explicit Missing(const SimProcess& sim)
      : bodies(missing_bodies(sim)), token(sim.access_token()) {}
  /// PUT missing service `i` under `key`.
  httplib::Result put(httplib::Client& client, std::size_t i, const std::string& key) const {
    return test::put(client, token, bodies[i].first, bodies[i].second, key);
  }
  std::vector<std::pair<std::string, std::string>> bodies;
  std::string token;
};

std::string state_of(const SimProcess& sim, const std::string& code) {
  for (const auto& s : sim.services().records) {
    if (s.code == code) {
      return s.state;
    }
  }
  return "absent";
}

TEST(FaultProfile, CommandLineShowsInGetAndPostChangesIt) {
  SimProcess sim(
      small_world({.p503 = 0.25, .p_reset = 0.05, .slow_ms = 1500, .targets = "put,delete"},
                  {"--latency-ms", "3", "--token-ttl", "5"}));
  auto p = sim.faults();
  EXPECT_DOUBLE_EQ(*p.p503, 0.25);
  EXPECT_DOUBLE_EQ(*p.p_reset, 0.05);
  EXPECT_DOUBLE_EQ(*p.p500, 0.0);
  EXPECT_DOUBLE_EQ(*p.p503_retry_after_share, 0.5);
  EXPECT_EQ(*p.retry_after_seconds, 1);
  EXPECT_EQ(*p.slow_ms, 1500);
  EXPECT_EQ(*p.targets, "put,delete");
  EXPECT_EQ(*p.latency_ms, 3);
  EXPECT_EQ(*p.token_ttl, 5);

  p = sim.set_faults({.p500 = 0.1, .targets = "national", .max_concurrency = 8});
  EXPECT_DOUBLE_EQ(*p.p500, 0.1);
  EXPECT_DOUBLE_EQ(*p.p503, 0.25) << "fields not given keep their value";
  EXPECT_EQ(*p.max_concurrency, 8);
  EXPECT_EQ(*p.targets, "put,delete,list");
  EXPECT_DOUBLE_EQ(*sim.faults().p500, 0.1);

  // All or nothing: one bad field changes nothing.
  auto res = sim.post("/_sim/faults?p500=0.3&p_bogus=1");
  EXPECT_EQ(res.status, 400);
  EXPECT_NE(res.body.find("p_bogus"), std::string::npos) << res.body;
  EXPECT_EQ(sim.post("/_sim/faults?p503=1.5").status, 400);
  EXPECT_EQ(sim.post("/_sim/faults?slow_ms=-1").status, 400);
  EXPECT_EQ(sim.post("/_sim/faults?targets=moon").status, 400);
  res = sim.post("/_sim/faults?p503=0.6&p_reset=0.5");
  EXPECT_EQ(res.status, 400);
  EXPECT_NE(res.body.find("must not exceed 1"), std::string::npos) << res.body;
  EXPECT_DOUBLE_EQ(*sim.faults().p500, 0.1);
  EXPECT_DOUBLE_EQ(*sim.faults().p503, 0.25);

  p = sim.set_faults({}, true);
  EXPECT_DOUBLE_EQ(*p.p500, 0.0);
  EXPECT_EQ(*p.max_concurrency, 0);
  EXPECT_EQ(*p.targets, "put,delete");
}

TEST(FaultProfile, BadCommandLineIsAUsageError) {
  for (const std::vector<std::string>& args : {std::vector<std::string>{"--p503", "2"},
                                               {"--p-reset", "x"},
                                               {"--p500", "0.7", "--p503", "0.7"},
                                               {"--fault-targets", "moon"}}) {
    SimProcess::Options o;
    o.args = args;
    EXPECT_THROW(SimProcess sim(o), std::runtime_error) << args[0];
  }
}

TEST(FaultInjection, ResetBeforeAnswerIsATcpResetAndDoesNoWork) {
  SimProcess sim(small_world({.p_reset = 1, .targets = "put,list"}));
  const Missing missing(sim);

  // A raw socket sees the reset itself: no status line, ECONNRESET.
  const auto raw =
      test::raw_exchange(sim.port(), std::string("GET ") + kListPath +
                                         " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                                         missing.token + "\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(raw.received, "");
  EXPECT_EQ(raw.error, ECONNRESET);

  auto c = client_for(sim);
  auto res = missing.put(c, 0, "k-reset");
  EXPECT_FALSE(res);
  EXPECT_EQ(state_of(sim, missing.bodies[0].first), "missing") << "the work is not done";
  EXPECT_TRUE(ledger_has(sim.ledger(), {{"resets", 2}, {"faults_injected", 2}, {"creates", 0}}));

  // The key was never claimed: the retry does the work, once.
  sim.set_faults({.p_reset = 0});
  auto c2 = client_for(sim);
  res = missing.put(c2, 0, "k-reset");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 201);
  EXPECT_EQ(res->get_header_value("Idempotent-Replayed"), "");
  EXPECT_TRUE(ledger_has(sim.ledger(), {{"creates", 1}, {"wasted_writes", 0}}));
  EXPECT_EQ(state_of(sim, missing.bodies[0].first), "in_sync");
}

// Under concurrent connections each reset hits its own connection only: the
// client sees exactly as many dropped requests as the ledger counts resets,
// and every other answer is whole.
TEST(FaultInjection, ResetsHitOnlyTheirOwnConnection) {
  SimProcess sim(small_world({.p_reset = 0.3, .targets = "list"}));
  const std::string token = sim.access_token();
  std::atomic<int> dropped{0};
  std::atomic<int> whole{0};
  std::vector<std::thread> threads;
  threads.reserve(8);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      auto c = client_for(sim);
      for (int i = 0; i < 40; ++i) {
        const auto r = c.Get(
            std::string(kListPath) + "?limit=" + std::to_string(1 + t) + "&i=" + std::to_string(i),
            {{"Authorization", "Bearer " + token}});
        if (!r) {
          ++dropped;
        } else if (r->status == 200 && test::json(r->body).HasMember("items")) {
          ++whole;
        }
      }
    });
  }
  for (auto& th : threads) {
    th.join();
  }
  const auto l = sim.ledger();
  EXPECT_EQ(dropped + whole, 320);
  EXPECT_EQ(static_cast<std::uint64_t>(dropped.load()), l.resets);
  EXPECT_GT(l.resets, 40u);
  EXPECT_EQ(l.national_list_pages, static_cast<std::uint64_t>(whole.load()));
}

TEST(FaultInjection, ApplyThenResetStoresTheWorkUnderItsKey) {
  SimProcess sim(small_world({.p_apply_reset = 1}));
  const Missing missing(sim);
  const std::string& code = missing.bodies[0].first;
  auto c = client_for(sim);
  EXPECT_FALSE(missing.put(c, 0, "k-apply"));
  EXPECT_EQ(state_of(sim, code), "in_sync") << "the work is done";
  EXPECT_TRUE(ledger_has(sim.ledger(), {{"apply_resets", 1}, {"creates", 1}}));
  // A listing is a GET: apply-reset does not apply to it.
  auto list = c.Get(kListPath, {{"Authorization", "Bearer " + missing.token}});
  ASSERT_TRUE(list);
  EXPECT_EQ(list->status, 200);

  // The retry with the same key replays the stored answer, still under the
  // profile: a replay is not new work and is answered.
  auto c2 = client_for(sim);
  auto res = missing.put(c2, 0, "k-apply");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 201);
  EXPECT_EQ(res->get_header_value("Idempotent-Replayed"), "true");
  EXPECT_TRUE(
      ledger_has(sim.ledger(), {{"idempotent_replays", 1}, {"creates", 1}, {"wasted_writes", 0}}));

  // A different key with the content already stored is a wasted write.
  sim.set_faults({.p_apply_reset = 0});
  res = missing.put(c2, 0, "k-other");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(sim.ledger().wasted_writes, 1u);

  // DELETE too: withdrawn, then the answer dropped.
  sim.set_faults({.p_apply_reset = 1});
  EXPECT_FALSE(test::del(c2, missing.token, code, "k-del"));
  EXPECT_EQ(state_of(sim, code), "missing");
  EXPECT_EQ(sim.ledger().deletes, 1u);
  EXPECT_EQ(sim.ledger().apply_resets, 2u);
}

TEST(FaultInjection, SlowAnswerAfterTheWorkFreesTheSlot) {
  SimProcess sim(
      small_world({.p_slow = 1, .slow_ms = 4000, .targets = "put"}, {"--max-concurrency", "1"}));
  const Missing missing(sim);
  httplib::Client impatient("127.0.0.1", sim.port());
  impatient.set_read_timeout(std::chrono::milliseconds(300));
  EXPECT_FALSE(missing.put(impatient, 0, "k-slow"));
  // The held answer no longer holds the concurrency slot or counts in flight.
  sim.set_faults({.p_slow = 0});
  auto c = client_for(sim);
  auto res = missing.put(c, 1, "k-next");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 201);
  // The retry of the timed-out request replays, never a second write.
  res = missing.put(c, 0, "k-slow");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 201);
  EXPECT_EQ(res->get_header_value("Idempotent-Replayed"), "true");
  EXPECT_TRUE(ledger_has(sim.ledger(), {{"slow_answers", 1},
                                        {"creates", 2},
                                        {"wasted_writes", 0},
                                        {"concurrency_limited", 0},
                                        {"max_in_flight", 1}}));
}

TEST(FaultInjection, Status500And503DoNothing) {
  SimProcess sim(small_world({.p500 = 1, .targets = "put"}));
  const Missing missing(sim);
  auto c = client_for(sim);
  auto res = missing.put(c, 0, "k5");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 500);
  EXPECT_EQ(test::error_code(res->body), "INTERNAL");

  SimFaultProfile f503{.p500 = 0, .p503 = 1, .p503_retry_after_share = 0};
  sim.set_faults(f503);
  res = missing.put(c, 0, "k5");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 503);
  EXPECT_EQ(test::error_code(res->body), "UNAVAILABLE");
  EXPECT_FALSE(res->has_header("Retry-After"));
  EXPECT_EQ(state_of(sim, missing.bodies[0].first), "missing");

  f503.p503 = 0;
  sim.set_faults(f503);
  res = missing.put(c, 0, "k5");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 201) << "5xx are not stored under the key";
  EXPECT_TRUE(ledger_has(
      sim.ledger(),
      {{"injected_500", 1}, {"injected_503", 1}, {"creates", 1}, {"retry_after_violations", 0}}));
}

/// Every request of `targets` answered 503 with Retry-After: 2; a 100 ms grace.
SimProcess::Options always_503_for_2s(const char* targets) {
  return small_world(
      {.p503 = 1, .p503_retry_after_share = 1, .retry_after_seconds = 2, .targets = targets},
      {"--retry-after-grace-ms", "100"});
}

TEST(FaultInjection, Retry503OpensAWindowForTheWholePortal) {
  SimProcess sim(always_503_for_2s("list"));
  const std::string token = sim.access_token();
  auto c = client_for(sim);
  const httplib::Headers auth{{"Authorization", "Bearer " + token}};
  auto res = c.Get(kListPath, auth);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 503);
  EXPECT_EQ(res->get_header_value("Retry-After"), "2");
  std::this_thread::sleep_for(300ms);
  // The token endpoint is inside the window too.
  EXPECT_THROW(sim.access_token(), std::runtime_error);
  EXPECT_EQ(sim.ledger().retry_after_violations, 1u);
  // After the window, nothing counts.
  sim.set_faults({.p503 = 0});
  std::this_thread::sleep_for(2s);
  res = c.Get(kListPath, auth);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(sim.ledger().retry_after_violations, 1u) << "only the token call was too early";
  EXPECT_EQ(sim.ledger().injected_503, 1u);
}

TEST(FaultInjection, ACatalogue503OpensTheCataloguesOwnWindow) {
  SimProcess sim(always_503_for_2s("catalogue"));
  auto c = client_for(sim);
  auto res = c.Get("/provincial/services?page=1");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 503);
  EXPECT_EQ(res->get_header_value("Retry-After"), "2");
  std::this_thread::sleep_for(300ms);
  EXPECT_NO_THROW(sim.access_token()) << "the national portal is not in the catalogue's window";
  res = c.Get("/provincial/services?page=2");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 429) << "a request inside the catalogue's window";
  const auto l = sim.ledger();
  EXPECT_TRUE(ledger_has(l, {{"catalogue_retry_after_violations", 1},
                             {"retry_after_violations", 0},
                             {"national_window_until_ms", 0}}));
  ASSERT_GT(l.catalogue_window_until_ms, 0u);
  EXPECT_LT(l.catalogue_first_request_after_window_ms, l.catalogue_window_until_ms)
      << "the ledger's times show the request came before the window's end";
}

TEST(FaultInjection, HtmlPagesFromTheProfileAndOneShot) {
  SimProcess sim(small_world({.p_html = 1, .targets = "list,put"}));
  const Missing missing(sim);  // the catalogue is not a target
  const httplib::Headers auth{{"Authorization", "Bearer " + missing.token}};
  auto c = client_for(sim);
  auto res = c.Get(kListPath, auth);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(res->body.rfind("<!DOCTYPE html>", 0), 0u) << res->body;
  // A PUT is not a page: html leaves it alone.
  res = missing.put(c, 0, "k-html");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 201);

  sim.fail({.target = "catalogue", .status = 200, .body = "html"});
  res = c.Get("/provincial/services");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(c.Get("/provincial/services")->get_header_value("Content-Type"),
            "application/json; charset=utf-8")
      << "one-shot";
  sim.set_faults({.p_html = 0});
  sim.fail({.target = "list", .status = 200, .body = "html"});
  res = c.Get(kListPath, auth);
  EXPECT_EQ(res->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(sim.ledger().html_pages, 3u);
  EXPECT_EQ(sim.post("/_sim/fail?target=put&body=html").status, 400);
}

TEST(FaultInjection, TargetsChooseWhatIsHit) {
  // The default targets: put, delete, list, token.
  SimProcess sim(small_world({.p500 = 1}));
  auto c = client_for(sim);
  EXPECT_EQ(c.Get("/provincial/services")->status, 200);
  EXPECT_EQ(sim.post("/national/oauth2/token", "grant_type=client_credentials",
                     "application/x-www-form-urlencoded")
                .status,
            500);
  sim.set_faults({.targets = "catalogue"});
  EXPECT_EQ(c.Get("/provincial/services")->status, 500);
  EXPECT_FALSE(sim.access_token().empty());
}

TEST(FaultInjection, TokenExpiresAfterItsTtl) {
  SimProcess sim(small_world({}, {"--token-ttl", "1"}));
  const std::string token = sim.access_token();
  auto c = client_for(sim);
  const httplib::Headers auth{{"Authorization", "Bearer " + token}};
  ASSERT_TRUE(psd::testing::eventually(
      [&] {
        auto r = c.Get(kListPath, auth);
        return r && r->status == 401 && r->body.find("expired token") != std::string::npos;
      },
      10s, 100ms));
  EXPECT_GE(sim.ledger().unauthorized, 1u);
  // The lifetime can change at run time, for tokens issued afterwards.
  sim.set_faults({.token_ttl = 3600});
  const auto res = sim.post("/national/oauth2/token",
                            "grant_type=client_credentials&client_id=province-h43&client_secret="
                            "sim-secret",
                            "application/x-www-form-urlencoded");
  EXPECT_NE(res.body.find("\"expires_in\":3600"), std::string::npos) << res.body;
}

TEST(FaultInjection, OneShotResetsAndSlowAnswers) {
  SimProcess sim(small_world({}, {"--retry-after-grace-ms", "100"}));
  const Missing missing(sim);
  const httplib::Headers auth{{"Authorization", "Bearer " + missing.token}};
  sim.fail({.target = "put", .count = 2, .kind = "apply_reset"});
  sim.fail({.target = "list", .kind = "reset"});
  auto c = client_for(sim);
  EXPECT_FALSE(missing.put(c, 0, "a"));
  EXPECT_FALSE(missing.put(c, 1, "b"));
  auto res = missing.put(c, 0, "a");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->get_header_value("Idempotent-Replayed"), "true");
  EXPECT_FALSE(c.Get(kListPath, auth));
  EXPECT_EQ(c.Get(kListPath, auth)->status, 200);

  sim.set_faults({.slow_ms = 3000});
  sim.fail({.target = "put", .kind = "slow"});
  httplib::Client impatient("127.0.0.1", sim.port());
  impatient.set_read_timeout(std::chrono::milliseconds(300));
  EXPECT_FALSE(missing.put(impatient, 2, "c"));
  EXPECT_EQ(state_of(sim, missing.bodies[2].first), "in_sync");
  EXPECT_TRUE(ledger_has(sim.ledger(), {{"apply_resets", 2},
                                        {"resets", 1},
                                        {"slow_answers", 1},
                                        {"creates", 3},
                                        {"idempotent_replays", 1},
                                        {"wasted_writes", 0},
                                        {"faults_injected", 4}}));
  EXPECT_EQ(sim.post("/_sim/fail?target=list&kind=apply_reset").status, 400);
  EXPECT_EQ(sim.post("/_sim/fail?target=put&kind=reset&status=500").status, 400);
  EXPECT_EQ(sim.post("/_sim/fail?target=put&kind=explode").status, 400);
}

// The n-th time a request is sent gets the same fate in every run with the
// same seed, and the rate is near the profile's.
TEST(FaultInjection, SeededRunsAreReproducible) {
  const SimFaultProfile f{.p500 = 0.1, .p503 = 0.3, .targets = "list"};
  const auto statuses = [&](const std::string& seed) {
    SimProcess sim(small_world(f, {"--seed", seed}));
    auto c = client_for(sim);
    const httplib::Headers auth{{"Authorization", "Bearer " + sim.access_token()}};
    std::string out;
    for (int i = 0; i < 200; ++i) {
      const auto r = c.Get(std::string(kListPath) + "?limit=" + std::to_string(1 + i % 4), auth);
      out += r ? std::to_string(r->status) + " " : "none ";
    }
    const auto l = sim.ledger();
    EXPECT_GE(l.injected_503, 30u);
    EXPECT_LE(l.injected_503, 95u);
    EXPECT_GE(l.injected_500, 5u);
    EXPECT_LE(l.injected_500, 40u);
    return out;
  };
  const std::string first = statuses("7");
  EXPECT_EQ(first, statuses("7"));
  EXPECT_NE(first, statuses("8"));
}

// A sequential client that retries correctly (same key, honours
// Retry-After, refreshes an expired token, gives up waiting before a slow
// answer) converges with a clean ledger under every fault at once.
TEST(FaultInjection, MixedProfileConvergesWithACleanLedger) {
  // The mixed profile, plus 500s, on the default targets (the national portal).
  SimFaultProfile f = SimFaultProfile::mixed_on_both_portals();
  f.p500 = 0.05;
  f.targets.reset();
  SimProcess::Options o;
  o.args = {"--services", "40", "--full", "10", "--integrated", "0", "--token-ttl", "2"};
  o.faults = f;
  SimProcess sim(o);
  const auto bodies = missing_bodies(sim);  // the catalogue is not a default target
  ASSERT_EQ(bodies.size(), 40u);
  httplib::Client c("127.0.0.1", sim.port());
  c.set_read_timeout(std::chrono::milliseconds(800));
  std::string token;
  int attempts = 0;
  for (std::size_t i = 0; i < bodies.size(); ++i) {
    const std::string key = "mixed-" + std::to_string(i);
    for (;;) {
      ASSERT_LT(++attempts, 2000);
      if (token.empty()) {
        auto t = c.Post("/national/oauth2/token",
                        "grant_type=client_credentials&client_id=province-h43&client_secret="
                        "sim-secret",
                        "application/x-www-form-urlencoded");
        if (t && t->status == 200) {
          token = test::member(t->body, "access_token");
        } else if (t && t->has_header("Retry-After")) {
          std::this_thread::sleep_for(
              std::chrono::seconds(std::stoi(t->get_header_value("Retry-After"))));
        }
        continue;
      }
      auto r = test::put(c, token, bodies[i].first, bodies[i].second, key);
      if (r && (r->status == 200 || r->status == 201)) {
        break;
      }
      if (r && r->status == 401) {
        token.clear();
      } else if (r && r->has_header("Retry-After")) {
        std::this_thread::sleep_for(
            std::chrono::seconds(std::stoi(r->get_header_value("Retry-After"))));
      }
      ASSERT_TRUE(!r || r->status >= 500 || r->status == 401 || r->status == 429 ||
                  r->status == 409)
          << r->status << " " << r->body;
    }
  }
  const auto l = sim.ledger();
  EXPECT_EQ(sim.coverage().in_sync, 40);
  EXPECT_TRUE(ledger_has(l, {{"wasted_writes", 0},
                             {"hash_mismatches", 0},
                             {"retry_after_violations", 0},
                             {"creates", 40}}));
  EXPECT_GT(l.faults_injected, 0u);
  EXPECT_EQ(l.faults_injected, l.resets + l.apply_resets + l.slow_answers + l.injected_500 +
                                   l.injected_503 + l.html_pages);
  EXPECT_GE(l.idempotent_replays, l.apply_resets);
}

}  // namespace
}  // namespace psd::sim::test
