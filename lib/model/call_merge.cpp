#include "vapidash/model/call_merge.hpp"

#include "vapidash/model/status.hpp"
#include "vapidash/model/timestamp.hpp"

namespace vapidash {

namespace {

template <class T>
void replace_if_given(std::optional<T>& field, const std::optional<T>& given) {
  if (given) field = given;
}

template <class T>
void fill_if_missing(std::optional<T>& field, const std::optional<T>& given) {
  if (!field) field = given;
}

void merge_report(Call& call, const CallReport& report) {
  replace_if_given(call.ended_reason, report.ended_reason);
  replace_if_given(call.summary, report.summary);
  replace_if_given(call.transcript_text, report.transcript_text);
  replace_if_given(call.recording_url, report.recording_url);
  replace_if_given(call.stereo_recording_url, report.stereo_recording_url);
  replace_if_given(call.cost, report.cost);
  replace_if_given(call.duration_seconds, report.duration_seconds);
}

bool is_live(const std::string& status) {
  const auto rank = status_rank(status);
  return rank && *rank >= *status_rank("in-progress") && *rank < *status_rank("ended");
}

}  // namespace

Call new_webhook_call(const CallUpdate& update, const std::string& now) {
  Call call;
  call.client_id = update.client_id;
  call.id = update.call_id;
  call.status = update.status.value_or(update.initial_status.value_or(default_status));
  call.created_at = now;
  call.updated_at = now;
  return call;
}

void merge_webhook_update(Call& call, const CallUpdate& update, const std::string& now) {
  if (update.phone_number) call.phone_number = *update.phone_number;
  replace_if_given(call.listen_url, update.listen_url);
  replace_if_given(call.control_url, update.control_url);
  if (update.status && is_forward_move(call.status, *update.status)) call.status = *update.status;
  replace_if_given(call.started_at, update.started_at);
  replace_if_given(call.ended_at, update.ended_at);
  fill_if_missing(call.ended_reason, update.ended_reason);
  fill_if_missing(call.cost, update.cost);
  if (update.report) merge_report(call, *update.report);
  if (!call.started_at && is_live(call.status)) call.started_at = now;
  if (!call.ended_at && call.status == "ended") call.ended_at = now;
}

std::optional<double> elapsed_seconds(const Call& call) {
  if (!call.started_at || !call.ended_at) return std::nullopt;
  const auto started = parse_timestamp(*call.started_at);
  const auto ended = parse_timestamp(*call.ended_at);
  if (!started || !ended || *ended < *started) return std::nullopt;
  return std::chrono::duration<double>(*ended - *started).count();
}

}  // namespace vapidash
