#include "support/fake_listen_upstream.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/ssl.hpp>
#include <functional>
#include <list>

namespace vapidash::test {

using net::awaitable;
using net::use_awaitable;

const std::string FakeListenUpstream::secret_path = "/f00dcafe-listen-capability-5e3c/listen";

struct FakeListenUpstream::Impl {
  explicit Impl(FakeListenUpstream& upstream) : owner(upstream), context(ssl::context::tls_server) {}

  // One connection's ways to end it, called on the io_context's thread.
  struct Closer {
    std::function<void(std::uint16_t)> close;
    std::function<void()> cut_off;
  };

  void record(const std::function<void()>& change) {
    {
      std::lock_guard lock(owner.mutex_);
      change();
    }
    owner.changed_.notify_all();
  }

  template <class Stream>
  awaitable<void> serve(std::shared_ptr<websocket::stream<Stream>> ws) {
    auto closer = closers.insert(closers.end(), Closer{[ws](std::uint16_t code) {
                                                         ws->async_close(websocket::close_code(code),
                                                                         [ws](beast::error_code) {});
                                                       },
                                                       [ws] { beast::get_lowest_layer(*ws).close(); }});
    bool opened = false;
    try {
      beast::flat_buffer buffer;
      http::request<http::string_body> upgrade;
      co_await http::async_read(ws->next_layer(), buffer, upgrade, use_awaitable);
      record([&] { owner.targets_.emplace_back(upgrade.target()); });
      if (owner.options_.refuse_status != 0) {
        http::response<http::string_body> refusal{static_cast<http::status>(owner.options_.refuse_status),
                                                  upgrade.version()};
        refusal.body() = "refused by the fake upstream";
        refusal.prepare_payload();
        co_await http::async_write(ws->next_layer(), refusal, use_awaitable);
        closers.erase(closer);
        co_return;
      }
      co_await ws->async_accept(upgrade, use_awaitable);
      for (const auto& message : owner.options_.greeting) {
        ws->binary(message.binary);
        co_await ws->async_write(net::buffer(message.data), use_awaitable);
      }
      opened = true;
      record([&] { ++owner.open_; });
      for (;;) {
        beast::flat_buffer frame;
        co_await ws->async_read(frame, use_awaitable);
        record([&] {
          owner.received_.push_back({beast::buffers_to_string(frame.data()), ws->got_binary()});
        });
      }
    } catch (const std::exception&) {
    }
    closers.erase(closer);
    if (opened) record([&] { --owner.open_; });
  }

  awaitable<void> accept() {
    for (;;) {
      auto socket = co_await acceptor.async_accept(use_awaitable);
      if (!owner.options_.certificate) {
        net::co_spawn(ioc, serve(std::make_shared<websocket::stream<beast::tcp_stream>>(std::move(socket))),
                      net::detached);
        continue;
      }
      auto ws = std::make_shared<websocket::stream<beast::ssl_stream<beast::tcp_stream>>>(std::move(socket),
                                                                                          context);
      net::co_spawn(ioc, handshake_then_serve(ws), net::detached);
    }
  }

  awaitable<void> handshake_then_serve(
      std::shared_ptr<websocket::stream<beast::ssl_stream<beast::tcp_stream>>> ws) {
    try {
      co_await ws->next_layer().async_handshake(ssl::stream_base::server, use_awaitable);
    } catch (const std::exception&) {
      co_return;
    }
    co_await serve(ws);
  }

  FakeListenUpstream& owner;
  ssl::context context;
  net::io_context ioc;
  tcp::acceptor acceptor{ioc, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0)};
  std::list<Closer> closers;
};

FakeListenUpstream::FakeListenUpstream(Options options)
    : options_(std::move(options)), impl_(std::make_unique<Impl>(*this)) {
  if (options_.certificate) {
    impl_->context.use_certificate_chain(net::buffer(options_.certificate->cert_pem));
    impl_->context.use_private_key(net::buffer(options_.certificate->key_pem), ssl::context::pem);
  }
  port_ = impl_->acceptor.local_endpoint().port();
  net::co_spawn(impl_->ioc, impl_->accept(), net::detached);
  thread_ = std::thread([this] { impl_->ioc.run(); });
}

FakeListenUpstream::~FakeListenUpstream() {
  impl_->ioc.stop();
  thread_.join();
}

std::string FakeListenUpstream::url(const std::string& host) const {
  return std::string(options_.certificate ? "wss://" : "ws://") + host + ":" + std::to_string(port_) +
         secret_path;
}

void FakeListenUpstream::close_all(std::uint16_t code) {
  net::post(impl_->ioc, [this, code] {
    for (auto& closer : impl_->closers) closer.close(code);
  });
}

void FakeListenUpstream::cut_off_all() {
  net::post(impl_->ioc, [this] {
    for (auto& closer : impl_->closers) closer.cut_off();
  });
}

std::vector<FeedMessage> FakeListenUpstream::received() const {
  std::lock_guard lock(mutex_);
  return received_;
}

std::vector<std::string> FakeListenUpstream::targets() const {
  std::lock_guard lock(mutex_);
  return targets_;
}

int FakeListenUpstream::open_connections() const {
  std::lock_guard lock(mutex_);
  return open_;
}

bool FakeListenUpstream::wait_for_open_connections(int count) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, std::chrono::seconds(10), [&] { return open_ == count; });
}

bool FakeListenUpstream::wait_for_received(std::size_t count) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, std::chrono::seconds(10), [&] { return received_.size() >= count; });
}

}  // namespace vapidash::test
