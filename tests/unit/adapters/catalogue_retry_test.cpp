// The catalogue reader retries as the national listing does (one PageFetcher
// for both): transient failures and a 200 that is not the page are tried
// again, a Retry-After closes the whole catalogue, a page out of tries fails
// the listing naming it, and a retried page of a newer version tears it.

#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "adapters/provincial/catalogue_client.hpp"
#include "tests/support/fake_clock.hpp"
#include "tests/unit/http/loopback_server.hpp"

namespace psd {
namespace {

using std::chrono::milliseconds;

std::string record(const std::string& code) {
  return R"({"code":")" + code +
         R"(","name":"Cấp phép","level":"full","agency":{"code":"A1","name":"Sở"},)"
         R"("field":"","admin_level":"province","fee_vnd":0,"processing_days":1,)"
         R"("status":"active","updated_at":"2024-10-28T09:15:00+07:00"})";
}

std::string page_body(int page) {
  const std::string items = page < 3 ? record("C" + std::to_string(2 * page - 1)) + "," +
                                           record("C" + std::to_string(2 * page))
                                     : record("C5");
  return R"({"page":)" + std::to_string(page) +
         R"(,"page_size":2,"total_items":5,"total_pages":3,"items":[)" + items + "]}";
}

/// How a page fails before it is served whole.
struct Trouble {
  int times = 0;  ///< answers that fail; the rest are the page
  int status = 503;
  std::string retry_after;  ///< header, when not empty
  bool html = false;        ///< a 200 maintenance page instead of a status
  std::string version;      ///< the version of the first good answer, when not "v1"
};

class CatalogueRetry : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.server.Get("/services", [this](const httplib::Request& req, httplib::Response& res) {
      const int page = std::stoi(req.get_param_value("page"));
      std::lock_guard lock(mutex_);
      ++served_[page];
      Trouble& trouble = trouble_[page];
      if (trouble.times > 0) {
        --trouble.times;
        if (trouble.html) {
          res.set_content("<html><body>Bảo trì hệ thống</body></html>", "text/html");
          return;
        }
        res.status = trouble.status;
        if (!trouble.retry_after.empty()) res.set_header("Retry-After", trouble.retry_after);
        res.set_content(R"({"error":{"code":"UNAVAILABLE","message":"busy"}})", "application/json");
        return;
      }
      res.set_header("X-Catalogue-Version",
                     trouble.version.empty() ? "v1" : std::exchange(trouble.version, ""));
      res.set_content(page_body(page), "application/json");
    });
    server_.start();
  }

  tl::expected<engine::CatalogueListing, core::Failure> read() {
    provincial::CatalogueOptions options{.base_url = server_.url(""),
                                         .page_size = 2,
                                         .max_restarts = 3,
                                         .parallel_pages = 2,
                                         .retry = policy_};
    provincial::CatalogueClient client(http_, options, clock_);
    client.retry_window().keep_with(
        [this](std::optional<RetryWindow::TimePoint> until) { kept_.push_back(until); });
    return client.read("");
  }

  http::test::LoopbackServer server_;
  http::HttpClient http_{http::HttpOptions{}};
  PagePolicy policy_{{milliseconds(1), milliseconds(5)}, 3};
  std::mutex mutex_;
  std::map<int, Trouble> trouble_;
  std::map<int, int> served_;
  psd::testing::FakeClock clock_;  ///< waits cost no time; the tests read them
  std::vector<std::optional<RetryWindow::TimePoint>> kept_;
};

TEST_F(CatalogueRetry, TransientFailuresAndMaintenancePagesOnAnyPageAreTriedAgain) {
  trouble_[1] = {1, 503, "", false, ""};
  trouble_[2] = {2, 500, "", false, ""};
  trouble_[3] = {1, 200, "", true, ""};
  auto listing = read();
  ASSERT_TRUE(listing) << listing.error().message;
  EXPECT_EQ(listing->snapshot.services.size(), 5u);
  int served = 0;
  for (const auto& [page, times] : served_) served += times;
  EXPECT_EQ(served, 7) << "3 pages and 4 retries";
  EXPECT_EQ(listing->restarts, 0);
  EXPECT_EQ(served_[2], 3);
}

TEST_F(CatalogueRetry, ARetryAfterClosesTheCatalogueAndIsKept) {
  trouble_[2] = {1, 503, "7", false, ""};
  const auto before = clock_.steady_now();
  auto listing = read();
  ASSERT_TRUE(listing) << listing.error().message;
  ASSERT_FALSE(clock_.sleeps().empty());
  EXPECT_GE(clock_.sleeps().back(), milliseconds(6000))
      << "waited for the window, not just a backoff";
  ASSERT_GE(kept_.size(), 1u);
  ASSERT_TRUE(kept_.front());
  EXPECT_GE(*kept_.front(), before + std::chrono::seconds(7));
}

TEST_F(CatalogueRetry, APageFailingEveryTryFailsTheListingNamingIt) {
  trouble_[2] = {100, 503, "", false, ""};
  auto listing = read();
  ASSERT_FALSE(listing);
  EXPECT_EQ(listing.error().kind, core::FailureKind::transient);
  const std::string& message = listing.error().message;
  EXPECT_NE(message.find("provincial catalogue: GET "), std::string::npos) << message;
  EXPECT_NE(message.find("page=2"), std::string::npos) << message;
  EXPECT_NE(message.find("HTTP 503"), std::string::npos) << message;
  EXPECT_NE(message.find("(after 3 tries) (page 2)"), std::string::npos) << message;
  EXPECT_EQ(served_[2], 3) << "bounded tries per page";
}

TEST_F(CatalogueRetry, AMaintenancePageEveryTryFailsAsNotThePage) {
  trouble_[1] = {100, 200, "", true, ""};
  auto listing = read();
  ASSERT_FALSE(listing);
  EXPECT_EQ(listing.error().kind, core::FailureKind::bad_response);
  EXPECT_NE(listing.error().message.find("HTML page"), std::string::npos)
      << listing.error().message;
  EXPECT_NE(listing.error().message.find("after 3 tries"), std::string::npos);
}

TEST_F(CatalogueRetry, ARetriedPageOfANewerVersionTearsTheListingWhichRestarts) {
  trouble_[2] = {1, 503, "", false, "v2"};
  auto listing = read();
  ASSERT_TRUE(listing) << listing.error().message;
  EXPECT_EQ(listing->restarts, 1) << "the retried page carried another X-Catalogue-Version";
  EXPECT_EQ(listing->snapshot.services.size(), 5u);
}

TEST_F(CatalogueRetry, A404IsNotRetried) {
  trouble_[1] = {100, 404, "", false, ""};
  auto listing = read();
  ASSERT_FALSE(listing);
  EXPECT_EQ(served_[1], 1);
  EXPECT_NE(listing.error().message.find("(page 1)"), std::string::npos) << listing.error().message;
}

}  // namespace
}  // namespace psd
