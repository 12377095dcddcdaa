#include "vapidash/server/retention.hpp"

#include "vapidash/model/timestamp.hpp"
#include "vapidash/server/log.hpp"

namespace vapidash::server {

Retention::Retention(net::io_context& ioc, Store& store, RetentionOptions options)
    : strand_(net::make_strand(ioc)), timer_(strand_), store_(store), options_(options) {}

void Retention::start() {
  net::dispatch(strand_, [self = shared_from_this()] { self->start_pass(); });
}

void Retention::stop() {
  net::dispatch(strand_, [self = shared_from_this()] {
    self->stopped_ = true;
    self->timer_.cancel();
  });
}

void Retention::start_pass() {
  if (stopped_) return;
  request_ = PruneRequest{format_timestamp(now_utc() - options_.keep), std::nullopt, options_.rows_per_step};
  pass_ = PruneCounts{};
  step();
}

void Retention::step() {
  if (stopped_) return;
  store_.prune(request_, [self = shared_from_this()](WriteResult<PruneCounts> result) {
    net::post(self->strand_,
              [self, result = std::move(result)]() mutable { self->on_step(std::move(result)); });
  });
}

void Retention::on_step(WriteResult<PruneCounts> result) {
  if (const auto* failure = std::get_if<WriteFailure>(&result)) {
    log().error("retention: a step failed, next pass in {} s: {}", options_.interval.count(),
                failure->message);
    return wait(options_.interval, &Retention::start_pass);
  }
  pass_ += std::get<PruneCounts>(result);
  if (!pass_.finished) return wait(options_.pause, &Retention::step);
  if (pass_.rows() > 0) {
    log().info(
        "retention: removed {} calls that ended before {} ({} events, {} transcript lines, {} delivery keys)",
        pass_.calls, request_.ended_before, pass_.events, pass_.transcript_lines, pass_.delivery_keys);
  }
  wait(options_.interval, &Retention::start_pass);
}

void Retention::wait(std::chrono::milliseconds delay, void (Retention::*next)()) {
  if (stopped_) return;
  timer_.expires_after(delay);
  timer_.async_wait([self = shared_from_this(), next](beast::error_code ec) {
    if (!ec) ((*self).*next)();
  });
}

}  // namespace vapidash::server
