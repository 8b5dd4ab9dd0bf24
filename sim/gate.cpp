#include "sim/gate.hpp"

#include <algorithm>
#include <cmath>
#include <thread>

#include "sim/connection_reset.hpp"
#include "sim/http_util.hpp"
#include "sim/rng.hpp"

namespace psd::sim {
namespace {

bool matches(const std::string& target, Target t) {
  switch (t) {
    case Target::kCatalogue:
      return target == "catalogue";
    case Target::kToken:
      return target == "token";
    case Target::kNationalList:
      return target == "national" || target == "list";
    case Target::kNationalPut:
      return target == "national" || target == "put";
    case Target::kNationalDelete:
      return target == "national" || target == "delete";
  }
  return false;
}

std::string default_code(int status) {
  switch (status) {
    case 400:
      return "BAD_REQUEST";
    case 401:
      return "UNAUTHORIZED";
    case 403:
      return "FORBIDDEN";
    case 404:
      return "NOT_FOUND";
    case 409:
      return "IN_PROGRESS";
    case 429:
      return "RATE_LIMIT";
    case 503:
      return "UNAVAILABLE";
    default:
      return status >= 500 ? "INTERNAL" : "ERROR";
  }
}

std::uint64_t unix_ms(std::chrono::system_clock::time_point when) {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(when.time_since_epoch()).count());
}

}  // namespace

std::optional<Fault> parse_fault(const httplib::Request& req, std::string& error) {
  Fault f;
  f.target = req.get_param_value("target");
  if (f.target != "national" && f.target != "put" && f.target != "delete" && f.target != "list" &&
      f.target != "token" && f.target != "catalogue") {
    error = "target must be national, put, delete, list, token or catalogue";
    return std::nullopt;
  }
  const auto int_param = [&](const char* name, std::int64_t fallback, std::int64_t lo,
                             std::int64_t hi) -> std::optional<std::int64_t> {
    if (!req.has_param(name)) {
      return fallback;
    }
    const auto v = parse_int(req.get_param_value(name));
    if (!v || *v < lo || *v > hi) {
      error = std::string(name) + " must be an integer in " + std::to_string(lo) + ".." +
              std::to_string(hi);
      return std::nullopt;
    }
    return v;
  };
  const auto status = int_param("status", 0, 0, 599);
  const auto count = int_param("count", 1, 1, 1000000);
  const auto retry_after = int_param("retry_after", -1, 0, 86400);
  const auto delay = int_param("delay_ms", 0, 0, 600000);
  if (!status || !count || !retry_after || !delay) {
    return std::nullopt;
  }
  f.status = static_cast<int>(*status);
  f.count = *count;
  f.retry_after = *retry_after;
  f.delay_ms = *delay;
  f.code = req.get_param_value("code");
  f.body = req.get_param_value("body");
  f.kind = req.get_param_value("kind");
  if (req.has_param("kind")) {
    if (f.kind != "reset" && f.kind != "apply_reset" && f.kind != "slow") {
      error = "kind must be reset, apply_reset or slow";
      return std::nullopt;
    }
    if (f.kind == "apply_reset" && f.target != "put" && f.target != "delete" &&
        f.target != "national") {
      error = "kind=apply_reset needs target put, delete or national";
      return std::nullopt;
    }
    if (req.has_param("status") || req.has_param("body")) {
      error = "kind goes without status and body";
      return std::nullopt;
    }
    return f;
  }
  if (!f.body.empty()) {
    const bool catalogue_body =
        f.body == "malformed" || f.body == "bad_utf8" || f.body == "bad_shape";
    if (!(f.target == "catalogue" && (catalogue_body || f.body == "html")) &&
        !(f.target == "list" && f.body == "html")) {
      error =
          "body must be malformed, bad_utf8, bad_shape or html for target catalogue, or html for "
          "target list";
      return std::nullopt;
    }
    f.status = 200;
  }
  if (f.status != 0 && f.status < 200) {
    error = "status must be 0 (delay only) or 200..599";
    return std::nullopt;
  }
  if (f.status == 0 && f.delay_ms == 0) {
    error = "give a status, a body or a delay_ms";
    return std::nullopt;
  }
  return f;
}

Gate::Gate(const SimOptions& options, Ledger& ledger)
    : options_(options),
      ledger_(ledger),
      plan_(options.profile, derive_seed(options.seed, 0xfa17)),
      bucket_(static_cast<double>(options.profile.rate_limit)),
      bucket_at_(Clock::now()) {}

void Gate::arm(Fault fault) {
  std::lock_guard lock(mu_);
  (fault.kind.empty() ? faults_ : kind_faults_).push_back(std::move(fault));
}

std::optional<Fault> Gate::take(Target target) {
  std::optional<Fault> out;
  {
    std::lock_guard lock(mu_);
    for (auto it = faults_.begin(); it != faults_.end(); ++it) {
      if (matches(it->target, target)) {
        out = *it;
        out->count = 1;
        if (--it->count == 0) {
          faults_.erase(it);
        }
        break;
      }
    }
  }
  if (out) {
    ledger_.add(Counter::kFaultsInjected);
    sleep_ms(out->delay_ms);
  }
  return out;
}

void Gate::answer(const Fault& fault, Target target, httplib::Response& res) {
  if (fault.body == "html") {
    ledger_.add(Counter::kHtmlPages);
    send_html_page(res);
    return;
  }
  if (fault.status == 500) {
    ledger_.add(Counter::kInjected500);
  } else if (fault.status == 503) {
    ledger_.add(Counter::kInjected503);
  }
  const std::string code = fault.code.empty() ? default_code(fault.status) : fault.code;
  send_error(res, fault.status, code, "injected by portal-sim /_sim/fail");
  if (fault.status == 401) {
    res.set_header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
  }
  if (fault.retry_after >= 0) {
    res.set_header("Retry-After", std::to_string(fault.retry_after));
    if (fault.status == 429 || fault.status == 503) {
      std::lock_guard lock(mu_);
      open_window_locked(target, fault.retry_after);
    }
  }
}

Gate::Window& Gate::window_of(Target target) {
  return target == Target::kCatalogue ? catalogue_window_ : national_window_;
}

void Gate::open_window_locked(Target target, std::int64_t seconds) {
  Window& window = window_of(target);
  const auto now = Clock::now();
  window.sent = now;
  window.until = std::max(window.until, now + std::chrono::seconds(seconds));
  window.opened = true;
  window.seen_after = false;
  const bool catalogue = target == Target::kCatalogue;
  const auto wall_until = std::chrono::system_clock::now() + (window.until - now);
  ledger_.set(catalogue ? Counter::kCatalogueWindowUntilMs : Counter::kNationalWindowUntilMs,
              unix_ms(wall_until));
  ledger_.set(catalogue ? Counter::kCatalogueFirstRequestAfterWindowMs
                        : Counter::kNationalFirstRequestAfterWindowMs,
              0);
}

bool Gate::violates_locked(Target target) {
  Window& window = window_of(target);
  const auto now = Clock::now();
  const auto grace = std::chrono::milliseconds(options_.retry_after_grace_ms);
  // Requests already on the wire when the Retry-After went out are not the
  // client's fault; anything later inside the window is.
  if (!window.opened || now <= window.sent + grace) return false;
  const bool catalogue = target == Target::kCatalogue;
  if (!window.seen_after) {
    window.seen_after = true;
    ledger_.set(catalogue ? Counter::kCatalogueFirstRequestAfterWindowMs
                          : Counter::kNationalFirstRequestAfterWindowMs,
                unix_ms(std::chrono::system_clock::now()));
  }
  if (now >= window.until) return false;
  ledger_.add(catalogue ? Counter::kCatalogueRetryAfterViolations : Counter::kRetryAfterViolations);
  return true;
}

bool Gate::refuse_in_window(Target target, httplib::Response& res) {
  std::lock_guard lock(mu_);
  if (!violates_locked(target)) return false;
  const Window& window = window_of(target);
  const auto left = std::chrono::duration<double>(window.until - Clock::now()).count();
  send_limited(res, "RATE_LIMIT", "request sent during a Retry-After window",
               std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(left))));
  return true;
}

void Gate::send_limited(httplib::Response& res, std::string_view code, std::string_view message,
                        std::int64_t retry_after) {
  send_error(res, 429, code, message);
  res.set_header("Retry-After", std::to_string(retry_after));
}

Gate::Slot Gate::admit(Target target, httplib::Response& res) {
  if (refuse_in_window(target, res)) return Slot();
  if (auto fault = take(target); fault && fault->status != 0) {
    answer(*fault, target, res);
    return Slot();
  }
  if (target == Target::kToken) {
    Slot slot;
    slot.set_admitted();
    return slot;
  }
  const Profile profile = plan_.profile();
  std::lock_guard lock(mu_);
  if (profile.rate_limit > 0) {
    const auto now = Clock::now();
    const double rate = static_cast<double>(profile.rate_limit);
    bucket_ =
        std::min(rate, bucket_ + std::chrono::duration<double>(now - bucket_at_).count() * rate);
    bucket_at_ = now;
    if (bucket_ < 1.0) {
      ledger_.add(Counter::kRateLimited);
      open_window_locked(target, 1);
      send_limited(res, "RATE_LIMIT", "rate limit of the national portal reached", 1);
      return Slot();
    }
    bucket_ -= 1.0;
  }
  if (profile.max_concurrency > 0 && in_flight_ >= profile.max_concurrency) {
    ledger_.add(Counter::kConcurrencyLimited);
    open_window_locked(target, 1);
    send_limited(res, "CONCURRENCY_LIMIT", "too many concurrent requests for this client", 1);
    return Slot();
  }
  ++in_flight_;
  Slot slot(this);
  slot.set_admitted();
  return slot;
}

void Gate::Slot::release() {
  if (gate_ != nullptr) {
    std::lock_guard lock(gate_->mu_);
    --gate_->in_flight_;
    gate_ = nullptr;
  }
}

Roll Gate::roll(Target target, const httplib::Request& req) {
  const bool write = target == Target::kNationalPut || target == Target::kNationalDelete;
  std::int64_t delay_ms = 0;
  std::optional<Roll> armed;
  {
    std::lock_guard lock(mu_);
    for (auto it = kind_faults_.begin(); it != kind_faults_.end(); ++it) {
      if (matches(it->target, target) && (write || it->kind != "apply_reset")) {
        armed = Roll{it->kind == "reset"         ? Injection::kReset
                     : it->kind == "apply_reset" ? Injection::kApplyReset
                                                 : Injection::kSlow,
                     false};
        delay_ms = it->delay_ms;
        if (--it->count == 0) {
          kind_faults_.erase(it);
        }
        break;
      }
    }
  }
  if (armed) {
    sleep_ms(delay_ms);
    return *armed;
  }
  return plan_.roll(target, req.method, req.target);
}

bool Gate::inject(const Roll& roll, Target target, const httplib::Request& req,
                  httplib::Response& res, Slot* slot, Ledger::InFlight* in_flight) {
  switch (roll.kind) {
    case Injection::kReset:
      ledger_.add(Counter::kFaultsInjected);
      ledger_.add(Counter::kResets);
      if (slot != nullptr) {
        slot->release();
      }
      if (in_flight != nullptr) {
        in_flight->release();
      }
      reset_connection(req);
      res.status = 500;  // goes nowhere: the connection is gone
      res.set_header(kDroppedHeader, "reset");
      return true;
    case Injection::k500:
      ledger_.add(Counter::kFaultsInjected);
      ledger_.add(Counter::kInjected500);
      send_error(res, 500, "INTERNAL", "injected by the portal-sim fault profile");
      return true;
    case Injection::k503: {
      ledger_.add(Counter::kFaultsInjected);
      ledger_.add(Counter::kInjected503);
      send_error(res, 503, "UNAVAILABLE", "injected by the portal-sim fault profile");
      if (roll.retry_after) {
        const std::int64_t seconds = plan_.profile().faults.retry_after_seconds;
        res.set_header("Retry-After", std::to_string(seconds));
        std::lock_guard lock(mu_);
        open_window_locked(target, seconds);
      }
      return true;
    }
    case Injection::kHtml:
      ledger_.add(Counter::kFaultsInjected);
      ledger_.add(Counter::kHtmlPages);
      send_html_page(res);
      return true;
    case Injection::kNone:
    case Injection::kApplyReset:
    case Injection::kSlow:
      return false;
  }
  return false;
}

void Gate::reset_after_work(const httplib::Request& req, httplib::Response& res, Slot& slot,
                            Ledger::InFlight& in_flight) {
  ledger_.add(Counter::kFaultsInjected);
  ledger_.add(Counter::kApplyResets);
  slot.release();
  in_flight.release();
  reset_connection(req);
  res.set_header(kDroppedHeader, "apply-reset");
}

void Gate::hold_answer() {
  ledger_.add(Counter::kFaultsInjected);
  ledger_.add(Counter::kSlowAnswers);
  sleep_ms(plan_.profile().faults.slow_ms);
}

}  // namespace psd::sim
