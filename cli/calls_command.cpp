#include <algorithm>
#include <cstdio>

#include "cli/commands.hpp"
#include "cli/feed_lines.hpp"
#include "cli/output.hpp"
#include "cli/timeline.hpp"
#include "vapidash/model/call_merge.hpp"
#include "vapidash/model/timestamp.hpp"
#include "vapidash/wire/call_json.hpp"

namespace vapidash::cli {

namespace {
struct CallsArgs {
  std::string client;
  std::string status;
  int limit = 0;
  std::string before;
  bool all = false;
  bool watch = false;
};

// Rows per request when --all pages without a --limit.
constexpr int default_page_size = 1000;

const std::vector<std::string> call_headers = {"ID", "STATUS", "PHONE", "STARTED (UTC)", "DURATION"};

std::vector<std::vector<std::string>> table_rows(const Output& out, const std::vector<Call>& calls) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& call : calls) {
    rows.push_back({call.id, out.status(call.status), phone_text(call),
                    terminal_time(call.started_at, TimeShown::date_time), duration_text(call)});
  }
  return rows;
}

// --before is a created_at timestamp, or a call's id: the page after that call, as the next-page hint says.
CallListQuery list_query(ApiClient& api, const CallsArgs& args) {
  CallListQuery query;
  if (!args.status.empty()) query.status = args.status;
  if (args.limit > 0) query.limit = args.limit;
  if (args.all && !query.limit) query.limit = default_page_size;
  if (args.before.empty()) return query;
  if (parse_timestamp(args.before)) {
    query.before = args.before;
    return query;
  }
  return query.after(api.call_detail(args.client, args.before).call);
}

// One JSON array, written an element at a time, exactly as json_document would print it whole.
class JsonArrayStream {
 public:
  void add(const json& element) {
    auto text = element.dump(2);
    for (std::size_t at = text.find('\n'); at != std::string::npos; at = text.find('\n', at + 3)) {
      text.replace(at, 1, "\n  ");
    }
    std::printf("%s\n  %s", empty_ ? "[" : ",", text.c_str());
    empty_ = false;
  }
  void close() const { std::printf("%s\n", empty_ ? "[]" : "\n]"); }

 private:
  bool empty_ = true;
};

void print_list(const ClientOptions& options, const CallsArgs& args) {
  auto api = make_api_client(options);
  const auto query = list_query(api, args);
  const Output out(options);
  if (!args.all) {
    const auto calls = api.list_calls(args.client, query);
    if (options.json) return out.json_document(json(calls));
    if (options.quiet) {
      for (const auto& call : calls) out.line(call.id);
      return;
    }
    if (calls.empty()) return out.line("no calls for " + args.client);
    out.table(call_headers, table_rows(out, calls));
    if (query.limit && calls.size() == static_cast<std::size_t>(*query.limit)) {
      std::fprintf(stderr, "more calls may follow: --before %s for the next page, --all for every page\n",
                   calls.back().id.c_str());
    }
    return;
  }
  JsonArrayStream array;
  TableStream table(out, call_headers);
  api.each_call_page(args.client, query, [&](const std::vector<Call>& page) {
    for (const auto& call : page) {
      if (options.json) array.add(json(call));
      if (options.quiet && !options.json) out.line(call.id);
    }
    if (!options.json && !options.quiet) table.rows(table_rows(out, page));
    std::fflush(stdout);
  });
  if (options.json) return array.close();
  if (!options.quiet && table.empty()) out.line("no calls for " + args.client);
}

// --watch: the list kept up to date from the tenant's feed.
class CallsWatch {
 public:
  CallsWatch(const ClientOptions& options, const CallsArgs& args)
      : options_(options),
        args_(args),
        api_(make_api_client(options)),
        query_(list_query(api_, args)),
        out_(options),
        redraw_(out_.terminal() && !options.json && !options.quiet) {}

  void run() {
    auto follow = follow_options(options_);
    follow.client_id = args_.client;
    FeedFollower follower(
        follow, [this](const FeedEvent& event) { on_change(event); },
        [this](const std::string& notice) { on_notice(notice); },
        [this](bool reconnected) { on_connected(reconnected); });
    follower.run(stop_on_interrupt());
  }

 private:
  std::vector<Call> load() {
    if (!args_.all) return api_.list_calls(args_.client, query_);
    std::vector<Call> calls;
    api_.each_call_page(args_.client, query_, [&](const std::vector<Call>& page) {
      calls.insert(calls.end(), page.begin(), page.end());
    });
    return calls;
  }

  // The list is fetched once the feed is open, so no change falls between the two.
  void on_connected(bool reconnected) {
    auto fresh = load();
    if (reconnected && !redraw_) report_missed(fresh);
    calls_ = std::move(fresh);
    if (redraw_) return render();
    if (reconnected) return;
    if (options_.json) return line(dump_json(json(calls_)));
    if (options_.quiet) {
      for (const auto& call : calls_) line(call.id);
      return;
    }
    if (calls_.empty()) return line("no calls for " + args_.client);
    out_.table(call_headers, table_rows(out_, calls_));
    std::fflush(stdout);
  }

  // While the feed was down: the calls that changed, as lines, or the whole list again with --json.
  void report_missed(const std::vector<Call>& fresh) {
    if (options_.json) return line(dump_json(json(fresh)));
    for (const auto& call : fresh) {
      const auto known = find(call.id);
      // Compared as the feed shows a call, since rows updated from the feed lack the rest.
      if (known != calls_.end() && call_upsert_message(*known, "") == call_upsert_message(call, "")) continue;
      FeedEvent missed{call_upsert_message(call, ""), call, std::nullopt, std::nullopt, std::nullopt};
      if (known != calls_.end()) missed.previous_status = known->status;
      line(options_.quiet ? call.id : feed_line(out_, missed));
    }
  }

  // The line says where the call came from in the list, also for its first change since the list was read.
  void on_change(const FeedEvent& event) {
    if (!event.call) return;
    auto shown = event;
    if (const auto row = find(event.call->id); row != calls_.end()) shown.previous_status = row->status;
    if (!apply(*event.call)) return;
    if (redraw_) return render();
    if (options_.json) return line(dump_json(event.message));
    line(options_.quiet ? *feed_id(shown) : feed_line(out_, shown));
  }

  // Updates the row in place, drops a call that left --status, and refetches for a call not in view (a new
  // one takes its place at the top, within --limit). False when the change does not touch the view.
  bool apply(const Call& change) {
    const bool belongs = args_.status.empty() || change.status == args_.status;
    const auto row = find(change.id);
    if (row == calls_.end()) {
      if (!belongs) return false;
      calls_ = load();
      return find(change.id) != calls_.end();
    }
    if (!belongs) {
      calls_.erase(row);
      return true;
    }
    row->status = change.status;
    row->phone_number = change.phone_number;
    row->started_at = change.started_at;
    row->ended_at = change.ended_at;
    row->listen_url = change.listen_url;
    return true;
  }

  void on_notice(const std::string& notice) {
    if (redraw_) {
      notice_ = notice;
      if (loaded_) render();
    } else if (!options_.quiet) {
      std::fprintf(stderr, "vapidash calls: %s\n", notice.c_str());
    }
  }

  void render() {
    loaded_ = true;
    out_.clear_screen();
    if (calls_.empty()) {
      out_.line("no calls for " + args_.client);
    } else {
      out_.table(call_headers, table_rows(out_, calls_));
    }
    out_.line(out_.dim("\nwatching " + args_.client + ", " + std::to_string(calls_.size()) + " calls, " +
                       terminal_time(format_timestamp(now_utc()), TimeShown::time) + " UTC: " + notice_ +
                       ". Ctrl-C to stop"));
    std::fflush(stdout);
  }

  void line(const std::string& text) const {
    out_.line(text);
    std::fflush(stdout);
  }

  std::vector<Call>::iterator find(const std::string& id) {
    return std::find_if(calls_.begin(), calls_.end(), [&](const Call& call) { return call.id == id; });
  }

  const ClientOptions& options_;
  const CallsArgs& args_;
  ApiClient api_;
  CallListQuery query_;
  const Output out_;
  const bool redraw_;
  std::vector<Call> calls_;
  std::string notice_;
  bool loaded_ = false;
};

void run_calls(const ClientOptions& options, const CallsArgs& args) {
  if (args.watch) return CallsWatch(options, args).run();
  print_list(options, args);
}
}  // namespace

void register_calls(CLI::App& app, const ClientOptions& options, SelectedCommand& selected) {
  auto args = std::make_shared<CallsArgs>();
  auto* cmd =
      app.add_subcommand("calls", "List a tenant's calls, newest first; page through them or watch them");
  cmd->add_option("client", args->client, "Tenant (client_id)")->required();
  cmd->add_option("--status", args->status, "Only calls in this status");
  cmd->add_option("--limit", args->limit, "At most this many (1-10000); with --all, rows per request")
      ->check(CLI::Range(1, 10000));
  auto* before =
      cmd->add_option("--before", args->before,
                      "Start after this call (its id) or before this created_at time (2026-01-15T09:30:00)");
  cmd->add_flag("--all", args->all, "Every page: follow the cursor to the end of the list");
  cmd->add_flag("--watch", args->watch,
                "Keep the list live until Ctrl-C: redrawn on a terminal, else a line per change")
      ->excludes(before);
  cmd->footer(
      "Pages: --limit N shows N calls and, when more may follow, the --before cursor of the next page on\n"
      "stderr; --before takes that call id or a timestamp. --all follows the cursor to the end (page size\n"
      "--limit, default 1000); with --json it prints one JSON array, as without --all.\n"
      "--watch prints the list, then follows the tenant's feed: on a terminal the table is redrawn after "
      "each\n"
      "change; otherwise each change is a line like `vapidash tail`'s (with --json: the list as one JSON "
      "line,\n"
      "then each feed message; with --quiet: the id of each call that changed). Exits 0 on Ctrl-C or "
      "SIGTERM.\n"
      "Examples:\n"
      "  vapidash calls demo-client\n"
      "  vapidash calls demo-client --status in-progress --json\n"
      "  vapidash calls demo-client --limit 20 --before debug-1765332952   # the next page\n"
      "  vapidash calls demo-client --all --json > calls.json\n"
      "  vapidash calls demo-client --watch");
  cmd->callback([&options, args, &selected] {
    selected = [&options, args] { return run_client_command(options, [&] { run_calls(options, *args); }); };
  });
}

}  // namespace vapidash::cli
