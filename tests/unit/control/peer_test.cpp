#include "daemon/control/peer.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

namespace psd::control {
namespace {

const PeerPolicy kPolicy{1000, 2000};  // daemon uid 1000, socket group 2000

TEST(PeerCheck, AllowsRootTheDaemonsUserAndTheSocketsGroup) {
  EXPECT_FALSE(peer_refusal({.pid = 1, .uid = 0, .gid = 0}, kPolicy));        // root
  EXPECT_FALSE(peer_refusal({.pid = 1, .uid = 1000, .gid = 1000}, kPolicy));  // the daemon's uid
  EXPECT_FALSE(peer_refusal({.pid = 1, .uid = 1500, .gid = 2000}, kPolicy));  // primary group
  EXPECT_FALSE(peer_refusal({1, 1500, 1500, {7, 2000}}, kPolicy));            // supplementary group
}

TEST(PeerCheck, RefusesAnyoneElseAndSaysWhy) {
  const auto refusal = peer_refusal({1, 1500, 1500, {7, 8}}, kPolicy);
  ASSERT_TRUE(refusal);
  EXPECT_NE(refusal->find("uid 1500"), std::string::npos) << *refusal;
  EXPECT_NE(refusal->find("gid 2000"), std::string::npos) << *refusal;
}

TEST(PeerCheck, ReadsTheCredentialsOfTheOtherEnd) {
  int fds[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  const auto peer = read_peer(fds[0]);
  ::close(fds[0]);
  ::close(fds[1]);
  ASSERT_TRUE(peer);
  EXPECT_EQ(peer->pid, ::getpid());
  EXPECT_EQ(peer->uid, ::geteuid());
  EXPECT_EQ(peer->gid, ::getegid());
}

}  // namespace
}  // namespace psd::control
