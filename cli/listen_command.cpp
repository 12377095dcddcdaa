#include <unistd.h>

#include <cstdio>
#include <optional>

#include "cli/commands.hpp"
#include "cli/feed_lines.hpp"
#include "cli/output.hpp"
#include "cli/pcm_audio.hpp"
#include "vapidash/client/feed_client.hpp"
#include "vapidash/error.hpp"

namespace vapidash::cli {

namespace {

struct ListenArgs {
  std::string client;
  std::string call;
  std::string out;
  ChannelChoice channels = ChannelChoice::both;
  std::string duration;
  bool raw = false;
};

constexpr auto poll_interval = std::chrono::milliseconds(200);

std::uint64_t frames_in(std::chrono::milliseconds duration) {
  return static_cast<std::uint64_t>(duration.count()) * listen_sample_rate / 1000;
}

double seconds_of(std::uint64_t frames) {
  return static_cast<double>(frames) / listen_sample_rate;
}

const char* channels_name(ChannelChoice choice) {
  switch (choice) {
    case ChannelChoice::customer:
      return "customer";
    case ChannelChoice::assistant:
      return "assistant";
    case ChannelChoice::both:
      break;
  }
  return "both";
}

// Seconds received on stderr: on a terminal one line redrawn with a level meter per channel, elsewhere a
// line every ten seconds of audio.
class Progress {
 public:
  explicit Progress(bool enabled) : enabled_(enabled), terminal_(isatty(STDERR_FILENO) == 1) {}

  void update(std::uint64_t frames, std::string_view stereo) {
    if (!enabled_) return;
    const double seconds = seconds_of(frames);
    if (!terminal_) {
      if (seconds < next_line_) return;
      next_line_ += 10;
      std::fprintf(stderr, "vapidash listen: %.0f s received\n", seconds);
      return;
    }
    if (seconds < next_redraw_) return;
    next_redraw_ = seconds + 0.1;
    std::fprintf(stderr, "\r  %6.1f s  customer %s  assistant %s", seconds,
                 meter(channel_peak(stereo, 0)).c_str(), meter(channel_peak(stereo, 1)).c_str());
    drawn_ = true;
  }

  void finish() const {
    if (drawn_) std::fputc('\n', stderr);
  }

 private:
  static std::string meter(double peak) {
    constexpr int width = 12;
    const int filled = static_cast<int>(peak * width + 0.5);
    return "[" + std::string(static_cast<std::size_t>(filled), '#') +
           std::string(static_cast<std::size_t>(width - filled), ' ') + "]";
  }

  bool enabled_;
  bool terminal_;
  bool drawn_ = false;
  double next_line_ = 10;
  double next_redraw_ = 0;
};

// What the command received, for the summary.
struct Received {
  std::uint64_t frames = 0;
  std::uint64_t bytes = 0;
  std::optional<websocket::close_reason> closed;  // when the server closed the stream
};

std::string reason_text(const websocket::close_reason& reason) {
  return std::string(reason.reason.data(), reason.reason.size());
}

std::string close_text(const websocket::close_reason& reason) {
  return std::to_string(reason.code) + (reason.reason.empty() ? "" : " " + reason_text(reason));
}

int run_listen(const ClientOptions& options, const ListenArgs& args) {
  if (args.raw && !args.out.empty())
    throw invalid_input("invalid_argument", "--raw writes PCM to stdout: it cannot be combined with --out");
  // Frames to record: without --for, as many as the call sends.
  const std::uint64_t limit = args.duration.empty() ? UINT64_MAX : frames_in(parse_duration(args.duration));
  const std::string path = args.raw ? "" : (args.out.empty() ? args.call + ".wav" : args.out);
  const auto token = options.token.empty() ? std::nullopt : std::optional<std::string>(options.token);
  FeedClient feed(server_url(options), listen_target(args.client, args.call, token), request_timeout(options),
                  tls_options(options));
  feed.connect();
  std::optional<WavFile> wav;
  if (!args.raw) wav.emplace(path, channel_count(args.channels));
  if (!options.quiet) {
    std::fprintf(stderr, "vapidash listen: listening to call %s of %s (%s channels) into %s\n",
                 args.call.c_str(), args.client.c_str(), channels_name(args.channels),
                 args.raw ? "stdout" : path.c_str());
  }

  const auto& stop = stop_on_interrupt();
  ChannelPicker picker(args.channels);
  Progress progress(!options.quiet);
  Received received;
  while (!stop && received.frames < limit) {
    std::optional<FeedMessage> message;
    try {
      message = feed.read_message(poll_interval);
    } catch (const connection_error&) {
      received.closed = feed.close_reason();
      break;
    }
    if (!message || !message->binary) continue;
    const auto samples = picker.pick(message->data, limit - received.frames);
    if (wav) {
      wav->write(samples);
    } else {
      std::fwrite(samples.data(), 1, samples.size(), stdout);
      std::fflush(stdout);
    }
    received.bytes += samples.size();
    received.frames += samples.size() / (listen_bytes_per_sample * channel_count(args.channels));
    progress.update(received.frames, message->data);
  }
  if (!received.closed) feed.close();
  if (wav) wav->finish();
  progress.finish();

  const bool ended_well = !received.closed || received.closed->code == websocket::close_code::normal;
  if (options.json) {
    json summary{{"client_id", args.client},
                 {"call_id", args.call},
                 {"seconds", seconds_of(received.frames)},
                 {"bytes", received.bytes},
                 {"channels", channel_count(args.channels)},
                 {"file", args.raw ? json(nullptr) : json(path)},
                 {"closed", nullptr}};
    if (received.closed) {
      summary["closed"] = {{"code", received.closed->code}, {"reason", reason_text(*received.closed)}};
    }
    std::fprintf(args.raw ? stderr : stdout, "%s\n", dump_json(summary).c_str());
  } else if (!options.quiet) {
    std::fprintf(stderr, "vapidash listen: %.1f s of audio (%s) written to %s\n", seconds_of(received.frames),
                 channels_name(args.channels), args.raw ? "stdout" : path.c_str());
  }
  if (ended_well) return exit_ok;
  const auto& closed = *received.closed;
  std::fprintf(stderr, "vapidash listen: %s\n",
               closed.code == websocket::close_code::none
                   ? "the connection to the server broke off"
                   : ("the server closed the stream: " + close_text(closed)).c_str());
  return exit_refused;
}

}  // namespace

void register_listen(CLI::App& app, const ClientOptions& options, SelectedCommand& selected) {
  auto args = std::make_shared<ListenArgs>();
  auto* cmd =
      app.add_subcommand("listen", "Record a live call's audio through the server, as a WAV file or raw PCM");
  cmd->add_option("CLIENT", args->client, "Tenant (client id)")->required();
  cmd->add_option("CALL", args->call, "Call id")->required();
  cmd->add_option("--out", args->out, "WAV file to write (default: CALL.wav)");
  cmd->add_option("--channels", args->channels,
                  "both (stereo), customer (channel 0) or assistant (channel 1)")
      ->transform(CLI::CheckedTransformer(
          std::map<std::string, ChannelChoice>{{"both", ChannelChoice::both},
                                               {"customer", ChannelChoice::customer},
                                               {"assistant", ChannelChoice::assistant}}))
      ->option_text("both|customer|assistant (default both)");
  cmd->add_option("--for", args->duration, "Stop after this much audio: 30s, 500ms, 2m");
  cmd->add_flag("--raw", args->raw, "Write raw PCM (s16le, 16 kHz) to stdout instead of a WAV file");
  cmd->footer(
      "Connects to the server's GET /ws/listen/CLIENT/CALL, which connects to the call's VAPI listen URL\n"
      "itself and relays its stream. Writes signed 16-bit PCM at 16 kHz: a WAV file whose\n"
      "header is completed when the stream ends, at --for, or on Ctrl-C; or with --raw the bare samples on\n"
      "stdout. Seconds received go to stderr (with a level meter on a terminal); --json prints a summary.\n"
      "Exits 0 when the call's audio ends, at --for or on Ctrl-C; 1 when the server refuses or closes the\n"
      "stream (the close code and reason are printed: 4404 no such call, 4409 ended, 4412 no listen URL,\n"
      "4429 too many listeners, 4502 the audio stream cannot be reached, 1011 it broke off); 2 usage;\n"
      "3 the server cannot be reached.\n"
      "Examples:\n"
      "  vapidash listen demo-client c1 --out c1.wav --for 30s\n"
      "  vapidash listen demo-client c1 --channels customer --out customer.wav\n"
      "  vapidash listen demo-client c1 --raw | play -t raw -r 16000 -e signed -b 16 -c 2 -");
  cmd->callback([&options, args, &selected] {
    selected = [&options, args] {
      return run_client_command_with_code(options, [&] { return run_listen(options, *args); });
    };
  });
}

}  // namespace vapidash::cli
