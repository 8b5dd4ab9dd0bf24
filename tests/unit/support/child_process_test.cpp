#include "tests/support/child_process.hpp"

#include <gtest/gtest.h>
#include <signal.h>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace psd::testing {
namespace {

using namespace std::chrono_literals;

// Gone or a zombie waiting for init to reap it.
bool eventually_gone(pid_t pid) {
  for (int i = 0; i < 200; ++i) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text;
    std::getline(stat, text);
    const auto close = text.rfind(')');
    if (!stat || (close != std::string::npos && text.substr(close + 2, 1) == "Z")) {
      return true;
    }
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

TEST(ChildProcess, ExitCodeAndCapturedOutput) {
  ChildProcess p("/bin/sh", {"-c", "echo out; echo err >&2; exit 7"});
  EXPECT_EQ(p.wait(10s), 7);
  EXPECT_TRUE(p.wait_output_closed(5s));
  EXPECT_EQ(p.stdout_text(), "out\n");
  EXPECT_EQ(p.stderr_text(), "err\n");
}

TEST(ChildProcess, EnvironmentAdditionsAndRemovals) {
  ::setenv("PSD_CHILD_TEST_DROP", "x", 1);
  ChildOptions o;
  o.env = {"PSD_CHILD_TEST=hello", "HOME=/nowhere"};
  o.unset_env = {"PSD_CHILD_TEST_DROP"};
  ChildProcess p("sh", {"-c", "echo \"$PSD_CHILD_TEST $HOME ${PSD_CHILD_TEST_DROP:-gone}\""}, o);
  EXPECT_EQ(p.wait(10s), 0);
  p.wait_output_closed(5s);
  EXPECT_EQ(p.stdout_text(), "hello /nowhere gone\n");
}

TEST(ChildProcess, WaitForALine) {
  ChildProcess p("/bin/sh", {"-c", "echo starting; sleep 0.2; echo ready on 42; sleep 30"});
  const auto line = p.wait_for_stdout_line("ready", 10s);
  ASSERT_TRUE(line);
  EXPECT_EQ(*line, "ready on 42");
  EXPECT_FALSE(p.wait_for_stdout_line("never", 100ms));
  EXPECT_TRUE(p.running());
}

TEST(ChildProcess, TimeoutSignalAndTerminate) {
  ChildProcess p("/bin/sh", {"-c", "sleep 30"});
  EXPECT_FALSE(p.wait(100ms));
  p.signal(SIGTERM);
  EXPECT_EQ(p.wait(10s), 128 + SIGTERM);
  ChildProcess q("/bin/sh", {"-c", "trap '' TERM; echo ready; sleep 30"});
  ASSERT_TRUE(q.wait_for_stdout_line("ready", 10s));
  EXPECT_EQ(q.terminate(300ms), 128 + SIGKILL) << "SIGKILL after the grace period";
}

TEST(ChildProcess, OutputToAFile) {
  const std::string path = ::testing::TempDir() + "child_process_out.txt";
  ChildOptions o;
  o.out = OutputSink::file(path);
  o.err = OutputSink::discard();
  ChildProcess p("/bin/sh", {"-c", "echo to-file; echo hidden >&2"}, o);
  EXPECT_EQ(p.wait(10s), 0);
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  EXPECT_EQ(s.str(), "to-file\n");
  EXPECT_EQ(p.stdout_text(), "");
  std::remove(path.c_str());
}

TEST(ChildProcess, WorkingDirectory) {
  ChildOptions o;
  o.working_dir = "/";
  ChildProcess p("/bin/sh", {"-c", "pwd"}, o);
  EXPECT_EQ(p.wait(10s), 0);
  p.wait_output_closed(5s);
  EXPECT_EQ(p.stdout_text(), "/\n");
}

TEST(ChildProcess, MissingBinaryThrows) {
  EXPECT_THROW(ChildProcess("/nonexistent/binary", {}), std::runtime_error);
  EXPECT_THROW(ChildProcess("psd-no-such-program-anywhere", {}), std::runtime_error);
}

TEST(ChildProcess, DestructorKillsGrandchildrenToo) {
  std::string grandchild;
  {
    ChildProcess p("/bin/sh", {"-c", "sleep 30 & echo $!; wait"});
    const auto line = p.wait_for_stdout_line("", 10s);
    ASSERT_TRUE(line);
    grandchild = *line;
  }
  const pid_t pid = std::stoi(grandchild);
  EXPECT_TRUE(eventually_gone(pid)) << "grandchild " << pid << " survived";
}

TEST(ChildProcess, DestructorKillsARunningChild) {
  pid_t pid = 0;
  {
    ChildProcess p("/bin/sh", {"-c", "sleep 30"});
    pid = p.pid();
  }
  EXPECT_NE(::kill(pid, 0), 0) << "reaped and gone";
}

}  // namespace
}  // namespace psd::testing
