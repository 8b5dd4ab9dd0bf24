// The HTML report as a person sees it: headless Chromium renders the seed
// province's report to PNG and to PDF; the PDF has the summary sentence and
// at most 3 A4 pages. SKIPPED, with the reason, where Chromium cannot run.

#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

#include "tests/integration/daemon_run.hpp"
#include "tests/integration/report_support.hpp"
#include "tests/support/temp_dir.hpp"

namespace psd::testing {
namespace {

/// Chromium's flags for a closed network: without the networking ones it
/// stalls on updates, sync and QUIC probes; a fresh profile per run.
std::vector<std::string> chromium_args(const std::filesystem::path& profile) {
  return {"--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--hide-scrollbars",
          "--user-data-dir=" + profile.string()};
}

std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t count = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
    ++count;
  return count;
}

/// `text` with every run of white space made one space (PDF text breaks lines).
std::string squeezed(const std::string& text) {
  return std::regex_replace(text, std::regex("\\s+"), " ");
}

/// Width and height from a PNG's IHDR chunk, or {0, 0} when it is not a PNG.
std::pair<std::uint32_t, std::uint32_t> png_size(const std::string& png) {
  if (png.size() < 24 || png.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0) return {0, 0};
  const auto be32 = [&](std::size_t at) {
    return (std::uint32_t(std::uint8_t(png[at])) << 24) |
           (std::uint32_t(std::uint8_t(png[at + 1])) << 16) |
           (std::uint32_t(std::uint8_t(png[at + 2])) << 8) |
           std::uint32_t(std::uint8_t(png[at + 3]));
  };
  return {be32(16), be32(20)};
}

class ReportInBrowser : public ::testing::Test {
 protected:
  void SetUp() override {
    chromium_ = find_program("chromium");
    if (!chromium_)
      GTEST_SKIP()
          << "chromium is not installed (Debian package chromium; make check-browser installs it)";
    pdfinfo_ = find_program("pdfinfo");
    pdftotext_ = find_program("pdftotext");
    if (!pdfinfo_ || !pdftotext_)
      GTEST_SKIP() << "pdfinfo/pdftotext are not installed (Debian package poppler-utils)";
  }

  /// Run Chromium on `html` with `output_args`; skip the test, with
  /// Chromium's own words, when it cannot run here.
  void render(const std::filesystem::path& html, const std::vector<std::string>& output_args,
              const std::filesystem::path& expected) {
    std::vector<std::string> args =
        chromium_args(dir_.file("profile-" + expected.filename().string()));
    args.insert(args.end(), output_args.begin(), output_args.end());
    args.push_back("file://" + html.string());
    const ToolResult result = run_tool(*chromium_, args);
    if (result.exit_code != 0 || !std::filesystem::exists(expected)) {
      GTEST_SKIP() << "Chromium cannot run here (exit " << result.exit_code
                   << "): " << result.output().substr(0, 2000);
    }
  }

  TempDir dir_;
  std::optional<std::string> chromium_, pdfinfo_, pdftotext_;
};

TEST_F(ReportInBrowser, SeedProvinceRendersWithBothChartsAndPrintsOnAtMostThreeA4Pages) {
  SimProcess sim({"--stale", "25"});
  DaemonRun daemon(sim);
  ASSERT_EQ(daemon.once().exit_code, 0);
  const std::filesystem::path out_dir = PSD_BROWSER_OUT_DIR;
  std::filesystem::create_directories(out_dir);

  for (const std::string lang : {"en", "vi"}) {
    SCOPED_TRACE(lang);
    const std::filesystem::path html = dir_.file("report-" + lang + ".html");
    const ToolResult made =
        run_report_ctl({"--config", daemon.config_path().string(), "report", "--format", "html",
                        "--lang", lang, "-o", html.string()});
    ASSERT_EQ(made.exit_code, 0) << made.output();
    const std::string page = read_file(html);
    EXPECT_EQ(count_of(page, "<svg"), 2u) << "one <svg> per chart: coverage over time, agencies";
    EXPECT_EQ(count_of(page, "<script"), 0u);
    // Self-contained: nothing to fetch (the only URL is the SVG namespace).
    EXPECT_EQ(count_of(page, "src="), 0u);
    EXPECT_EQ(count_of(page, "href="), 0u);
    EXPECT_EQ(count_of(page, "url("), 0u);
    EXPECT_EQ(count_of(page, "://"), count_of(page, "http://www.w3.org/2000/svg"));

    const std::filesystem::path png = out_dir / ("report-" + lang + ".png");
    std::filesystem::remove(png);
    render(html, {"--window-size=900,1400", "--screenshot=" + png.string()}, png);
    const auto [width, height] = png_size(read_file(png));
    EXPECT_EQ(width, 900u);
    EXPECT_EQ(height, 1400u);

    const std::filesystem::path pdf = out_dir / ("report-" + lang + ".pdf");
    std::filesystem::remove(pdf);
    render(html, {"--no-pdf-header-footer", "--print-to-pdf=" + pdf.string()}, pdf);
    const ToolResult info = run_tool(*pdfinfo_, {pdf.string()});
    ASSERT_EQ(info.exit_code, 0) << info.output();
    std::smatch pages;
    ASSERT_TRUE(std::regex_search(info.out, pages, std::regex("Pages:\\s+(\\d+)"))) << info.out;
    EXPECT_LE(std::stoi(pages[1]), 3) << info.out;
    EXPECT_TRUE(
        std::regex_search(info.out, std::regex("Page size:\\s+59[0-9](\\.\\d+)? x 84[0-9]")))
        << "A4 (595 x 842 pt): " << info.out;
    const ToolResult text = run_tool(*pdftotext_, {pdf.string(), "-"});
    ASSERT_EQ(text.exit_code, 0) << text.output();
    EXPECT_NE(squeezed(text.out).find(lang == "en" ? kSeedBeforeEn : kSeedBeforeVi),
              std::string::npos)
        << text.out.substr(0, 1500);
    const std::string after =
        lang == "en"
            ? "1,126/1,126 integrated and synchronised with the national public service portal: "
              "100%"
            : "1.126/1.126 dịch vụ đã tích hợp, đồng bộ lên Cổng Dịch vụ công quốc gia, đạt 100%";
    EXPECT_NE(squeezed(text.out).find(after), std::string::npos) << text.out.substr(0, 1500);
  }
}

}  // namespace
}  // namespace psd::testing
