// The random fault profile: each fault alone on real loopback HTTP, what the
// ledger counts, and that a retry with the same Idempotency-Key is a replay.

#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <thread>

#include "tests/support/sim_process.hpp"
#include "tests/support/wait.hpp"
#include "tests/unit/sim/test_util.hpp"

namespace psd::sim {
namespace {

using namespace std::chrono_literals;

using psd::testing::SimFaultProfile;
using psd::testing::SimProcess;
using test::client_for;
using test::missing_bodies;

constexpr const char* kListPath = "/national/provinces/H43/services";

SimProcess::Options small_world(SimFaultProfile faults, std::vector<std::string> more = {}) {
  SimProcess::Options o;
  o.args = {"--services", "12", "--full", "4", "--integrated", "2"};
  o.args.insert(o.args.end(), more.begin(), more.end());
  o.faults = std::move(faults);
  return o;
}

std::string state_of(const SimProcess& sim, const std::string& code) {
  for (const auto& s : sim.services().records) {
    if (s.code == code) {
      return s.state;
    }
  }
  return "absent";
}

TEST(FaultProfile, CommandLineShowsInGetAndPostChangesIt) {
  SimFaultProfile start;
  start.p503 = 0.25;
  start.p_reset = 0.05;
  start.slow_ms = 1500;
  start.targets = "put,delete";
  SimProcess sim(small_world(start, {"--latency-ms", "3", "--token-ttl", "5"}));
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

  SimFaultProfile change;
  change.p500 = 0.1;
  change.max_concurrency = 8;
  change.targets = "national";
  p = sim.set_faults(change);
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
  SimFaultProfile f;
  f.p_reset = 1;
  f.targets = "put,list";
  SimProcess sim(small_world(f));
  const auto bodies = missing_bodies(sim);
  const std::string token = sim.access_token();

  // A raw socket sees the reset itself: no status line, ECONNRESET.
  const auto raw =
      test::raw_exchange(sim.port(), std::string("GET ") + kListPath +
                                         " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                                         token + "\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(raw.received, "");
  EXPECT_EQ(raw.error, ECONNRESET);

  auto c = client_for(sim);
  auto res = test::put(c, token, bodies[0].first, bodies[0].second, "k-reset");
  EXPECT_FALSE(res);
  EXPECT_EQ(state_of(sim, bodies[0].first), "missing") << "the work is not done";
  auto l = sim.ledger();
  EXPECT_EQ(l.resets, 2u);
  EXPECT_EQ(l.faults_injected, 2u);
  EXPECT_EQ(l.creates, 0u);

  // The key was never claimed: the retry does the work, once.
  SimFaultProfile off;
  off.p_reset = 0;
  sim.set_faults(off);
  auto c2 = client_for(sim);
  res = test::put(c2, token, bodies[0].first, bodies[0].second, "k-reset");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 201);
  EXPECT_EQ(res->get_header_value("Idempotent-Replayed"), "");
  l = sim.ledger();
  EXPECT_EQ(l.creates, 1u);
  EXPECT_EQ(l.wasted_writes, 0u);
  EXPECT_EQ(state_of(sim, bodies[0].first), "in_sync");
}

// Under concurrent connections each reset hits its own connection only: the
// client sees exactly as many dropped requests as the ledger counts resets,
// and every other answer is whole.
TEST(FaultInjection, ResetsHitOnlyTheirOwnConnection) {
  SimFaultProfile f;
  f.p_reset = 0.3;
  f.targets = "list";
  SimProcess sim(small_world(f));
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
  SimFaultProfile f;
  f.p_apply_reset = 1;
  SimProcess sim(small_world(f));
  const auto bodies = missing_bodies(sim);
  const std::string token = sim.access_token();
  auto c = client_for(sim);
  EXPECT_FALSE(test::put(c, token, bodies[0].first, bodies[0].second, "k-apply"));
  EXPECT_EQ(state_of(sim, bodies[0].first), "in_sync") << "the work is done";
  auto l = sim.ledger();
  EXPECT_EQ(l.apply_resets, 1u);
  EXPECT_EQ(l.creates, 1u);
  // A listing is a GET: apply-reset does not apply to it.
  auto list = c.Get(kListPath, {{"Authorization", "Bearer " + token}});
  ASSERT_TRUE(list);
  EXPECT_EQ(list->status, 200);

  // The retry with the same key replays the stored answer, still under the
  // profile: a replay is not new work and is answered.
  auto c2 = client_for(sim);
  auto res = test::put(c2, token, bodies[0].first, bodies[0].second, "k-apply");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 201);
  EXPECT_EQ(res->get_header_value("Idempotent-Replayed"), "true");
  l = sim.ledger();
  EXPECT_EQ(l.idempotent_replays, 1u);
  EXPECT_EQ(l.creates, 1u);
  EXPECT_EQ(l.wasted_writes, 0u);

  // A different key with the content already stored is a wasted write.
  sim.set_faults([] {
    SimFaultProfile off;
    off.p_apply_reset = 0;
    return off;
  }());
  res = test::put(c2, token, bodies[0].first, bodies[0].second, "k-other");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(sim.ledger().wasted_writes, 1u);

  // DELETE too: withdrawn, then the answer dropped.
  sim.set_faults([] {
    SimFaultProfile on;
    on.p_apply_reset = 1;
    return on;
  }());
  EXPECT_FALSE(test::del(c2, token, bodies[0].first, "k-del"));
  EXPECT_EQ(state_of(sim, bodies[0].first), "missing");
  EXPECT_EQ(sim.ledger().deletes, 1u);
  EXPECT_EQ(sim.ledger().apply_resets, 2u);
}

TEST(FaultInjection, SlowAnswerAfterTheWorkFreesTheSlot) {
  SimFaultProfile f;
  f.p_slow = 1;
  f.slow_ms = 4000;
  f.targets = "put";
  SimProcess sim(small_world(f, {"--max-concurrency", "1"}));
  const auto bodies = missing_bodies(sim);
  const std::string token = sim.access_token();
  httplib::Client impatient("127.0.0.1", sim.port());
  impatient.set_read_timeout(std::chrono::milliseconds(300));
  EXPECT_FALSE(test::put(impatient, token, bodies[0].first, bodies[0].second, "k-slow"));
  // The held answer no longer holds the concurrency slot or counts in flight.
  sim.set_faults([] {
    SimFaultProfile off;
    off.p_slow = 0;
    return off;
  }());
  auto c = client_for(sim);
  auto res = test::put(c, token, bodies[1].first, bodies[1].second, "k-next");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 201);
  // The retry of the timed-out request replays, never a second write.
  res = test::put(c, token, bodies[0].first, bodies[0].second, "k-slow");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 201);
  EXPECT_EQ(res->get_header_value("Idempotent-Replayed"), "true");
  const auto l = sim.ledger();
  EXPECT_EQ(l.slow_answers, 1u);
  EXPECT_EQ(l.creates, 2u);
  EXPECT_EQ(l.wasted_writes, 0u);
  EXPECT_EQ(l.concurrency_limited, 0u);
  EXPECT_EQ(l.max_in_flight, 1u);
}

TEST(FaultInjection, Status500And503DoNothing) {
  SimFaultProfile f;
  f.p500 = 1;
  f.targets = "put";
  SimProcess sim(small_world(f));
  const auto bodies = missing_bodies(sim);
  const std::string token = sim.access_token();
  auto c = client_for(sim);
  auto res = test::put(c, token, bodies[0].first, bodies[0].second, "k5");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 500);
  EXPECT_EQ(test::error_code(res->body), "INTERNAL");

  SimFaultProfile f503;
  f503.p500 = 0;
  f503.p503 = 1;
  f503.p503_retry_after_share = 0;
  sim.set_faults(f503);
  res = test::put(c, token, bodies[0].first, bodies[0].second, "k5");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 503);
  EXPECT_EQ(test::error_code(res->body), "UNAVAILABLE");
  EXPECT_FALSE(res->has_header("Retry-After"));
  EXPECT_EQ(state_of(sim, bodies[0].first), "missing");

  f503.p503 = 0;
  sim.set_faults(f503);
  res = test::put(c, token, bodies[0].first, bodies[0].second, "k5");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 201) << "5xx are not stored under the key";
  const auto l = sim.ledger();
  EXPECT_EQ(l.injected_500, 1u);
  EXPECT_EQ(l.injected_503, 1u);
  EXPECT_EQ(l.creates, 1u);
  EXPECT_EQ(l.retry_after_violations, 0u);
}

/// Every request of `targets` answered 503 with Retry-After: 2; a 100 ms grace.
SimProcess::Options always_503_for_2s(const char* targets) {
  SimFaultProfile f;
  f.p503 = 1;
  f.p503_retry_after_share = 1;
  f.retry_after_seconds = 2;
  f.targets = targets;
  return small_world(f, {"--retry-after-grace-ms", "100"});
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
  sim.set_faults([] {
    SimFaultProfile off;
    off.p503 = 0;
    return off;
  }());
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
  EXPECT_EQ(l.catalogue_retry_after_violations, 1u);
  EXPECT_EQ(l.retry_after_violations, 0u);
  EXPECT_EQ(l.national_window_until_ms, 0u);
  ASSERT_GT(l.catalogue_window_until_ms, 0u);
  EXPECT_LT(l.catalogue_first_request_after_window_ms, l.catalogue_window_until_ms)
      << "the ledger's times show the request came before the window's end";
}

TEST(FaultInjection, HtmlPagesFromTheProfileAndOneShot) {
  SimFaultProfile f;
  f.p_html = 1;
  f.targets = "list,put";
  SimProcess sim(small_world(f));
  const auto bodies = missing_bodies(sim);  // the catalogue is not a target
  const std::string token = sim.access_token();
  auto c = client_for(sim);
  auto res = c.Get(kListPath, {{"Authorization", "Bearer " + token}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(res->body.rfind("<!DOCTYPE html>", 0), 0u) << res->body;
  // A PUT is not a page: html leaves it alone.
  res = test::put(c, token, bodies[0].first, bodies[0].second, "k-html");
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
  sim.set_faults([] {
    SimFaultProfile off;
    off.p_html = 0;
    return off;
  }());
  sim.fail({.target = "list", .status = 200, .body = "html"});
  res = c.Get(kListPath, {{"Authorization", "Bearer " + token}});
  EXPECT_EQ(res->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(sim.ledger().html_pages, 3u);
  EXPECT_EQ(sim.post("/_sim/fail?target=put&body=html").status, 400);
}

TEST(FaultInjection, TargetsChooseWhatIsHit) {
  SimFaultProfile f;
  f.p500 = 1;  // default targets: put, delete, list, token
  SimProcess sim(small_world(f));
  auto c = client_for(sim);
  EXPECT_EQ(c.Get("/provincial/services")->status, 200);
  EXPECT_EQ(sim.post("/national/oauth2/token", "grant_type=client_credentials",
                     "application/x-www-form-urlencoded")
                .status,
            500);
  sim.set_faults([] {
    SimFaultProfile p;
    p.targets = "catalogue";
    return p;
  }());
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
  sim.set_faults([] {
    SimFaultProfile p;
    p.token_ttl = 3600;
    return p;
  }());
  const auto res = sim.post("/national/oauth2/token",
                            "grant_type=client_credentials&client_id=province-h43&client_secret="
                            "sim-secret",
                            "application/x-www-form-urlencoded");
  EXPECT_NE(res.body.find("\"expires_in\":3600"), std::string::npos) << res.body;
}

TEST(FaultInjection, OneShotResetsAndSlowAnswers) {
  SimProcess sim(small_world({}, {"--retry-after-grace-ms", "100"}));
  const auto bodies = missing_bodies(sim);
  const std::string token = sim.access_token();
  sim.fail({.target = "put", .count = 2, .kind = "apply_reset"});
  sim.fail({.target = "list", .kind = "reset"});
  auto c = client_for(sim);
  EXPECT_FALSE(test::put(c, token, bodies[0].first, bodies[0].second, "a"));
  EXPECT_FALSE(test::put(c, token, bodies[1].first, bodies[1].second, "b"));
  auto res = test::put(c, token, bodies[0].first, bodies[0].second, "a");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->get_header_value("Idempotent-Replayed"), "true");
  EXPECT_FALSE(c.Get(kListPath, {{"Authorization", "Bearer " + token}}));
  EXPECT_EQ(c.Get(kListPath, {{"Authorization", "Bearer " + token}})->status, 200);

  sim.set_faults([] {
    SimFaultProfile p;
    p.slow_ms = 3000;
    return p;
  }());
  sim.fail({.target = "put", .kind = "slow"});
  httplib::Client impatient("127.0.0.1", sim.port());
  impatient.set_read_timeout(std::chrono::milliseconds(300));
  EXPECT_FALSE(test::put(impatient, token, bodies[2].first, bodies[2].second, "c"));
  EXPECT_EQ(state_of(sim, bodies[2].first), "in_sync");
  const auto l = sim.ledger();
  EXPECT_EQ(l.apply_resets, 2u);
  EXPECT_EQ(l.resets, 1u);
  EXPECT_EQ(l.slow_answers, 1u);
  EXPECT_EQ(l.creates, 3u);
  EXPECT_EQ(l.idempotent_replays, 1u);
  EXPECT_EQ(l.wasted_writes, 0u);
  EXPECT_EQ(l.faults_injected, 4u);
  EXPECT_EQ(sim.post("/_sim/fail?target=list&kind=apply_reset").status, 400);
  EXPECT_EQ(sim.post("/_sim/fail?target=put&kind=reset&status=500").status, 400);
  EXPECT_EQ(sim.post("/_sim/fail?target=put&kind=explode").status, 400);
}

// The n-th time a request is sent gets the same fate in every run with the
// same seed, and the rate is near the profile's.
TEST(FaultInjection, SeededRunsAreReproducible) {
  SimFaultProfile f;
  f.p503 = 0.3;
  f.p500 = 0.1;
  f.targets = "list";
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
  SimFaultProfile f;
  f.p503 = 0.2;
  f.p_reset = 0.05;
  f.p_apply_reset = 0.1;
  f.p500 = 0.05;
  f.p_slow = 0.05;
  f.slow_ms = 1500;
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
  EXPECT_EQ(l.wasted_writes, 0u);
  EXPECT_EQ(l.hash_mismatches, 0u);
  EXPECT_EQ(l.retry_after_violations, 0u);
  EXPECT_EQ(l.creates, 40u);
  EXPECT_GT(l.faults_injected, 0u);
  EXPECT_EQ(l.faults_injected, l.resets + l.apply_resets + l.slow_answers + l.injected_500 +
                                   l.injected_503 + l.html_pages);
  EXPECT_GE(l.idempotent_replays, l.apply_resets);
}

}  // namespace
}  // namespace psd::sim
