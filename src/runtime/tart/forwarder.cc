#include "runtime/tart/forwarder.h"

#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <boost/asio.hpp>
#include <cstring>
#include <filesystem>
#include <future>

namespace rockpool::tart {

namespace asio = boost::asio;
using Unix = asio::local::stream_protocol;
using Tcp = asio::ip::tcp;

namespace {

// One accepted connection: bytes copied both ways until either side closes.
class Relay : public std::enable_shared_from_this<Relay> {
 public:
  Relay(Unix::socket client, asio::io_context& io) : client_(std::move(client)), upstream_(io) {}

  void Start(const Tcp::endpoint& target) {
    upstream_.async_connect(target, [self = shared_from_this()](boost::system::error_code ec) {
      if (ec) {
        self->Shutdown();
        return;
      }
      self->Pump(self->client_, self->upstream_, self->to_upstream_);
      self->Pump(self->upstream_, self->client_, self->to_client_);
    });
  }

 private:
  template <typename From, typename To>
  void Pump(From& from, To& to, std::array<char, 16384>& buf) {
    from.async_read_some(asio::buffer(buf), [self = shared_from_this(), &from, &to, &buf](
                                                boost::system::error_code ec, std::size_t n) {
      if (ec) {
        // Half-close: the other direction may still carry the answer.
        boost::system::error_code ignored;
        to.shutdown(asio::socket_base::shutdown_send, ignored);
        if (++self->closed_ == 2) self->Shutdown();
        return;
      }
      asio::async_write(to, asio::buffer(buf.data(), n),
                        [self, &from, &to, &buf](boost::system::error_code wec, std::size_t) {
                          if (wec) {
                            self->Shutdown();
                            return;
                          }
                          self->Pump(from, to, buf);
                        });
    });
  }

  void Shutdown() {
    boost::system::error_code ignored;
    client_.close(ignored);
    upstream_.close(ignored);
  }

  Unix::socket client_;
  Tcp::socket upstream_;
  std::array<char, 16384> to_upstream_{};
  std::array<char, 16384> to_client_{};
  int closed_ = 0;
};

struct Listener {
  Listener(asio::io_context& io, Tcp::endpoint to) : acceptor(io), target(to) {}
  Unix::acceptor acceptor;
  Tcp::endpoint target;
};

void Accept(const std::shared_ptr<Listener>& listener, asio::io_context& io) {
  listener->acceptor.async_accept(
      [listener, &io](boost::system::error_code ec, Unix::socket socket) {
        if (ec == asio::error::operation_aborted || !listener->acceptor.is_open()) return;
        if (!ec) std::make_shared<Relay>(std::move(socket), io)->Start(listener->target);
        Accept(listener, io);
      });
}

}  // namespace

struct SocketForwarder::Impl {
  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> work = asio::make_work_guard(io);
  std::thread thread;
  mutable std::mutex mu;
  std::map<std::string, std::shared_ptr<Listener>> listeners;  // GUARDED_BY(mu)

  // Runs `fn` on the io thread and waits for it (acceptors are touched only there).
  template <typename Fn>
  void OnIoThread(Fn fn) {
    std::promise<void> done;
    asio::post(io, [&] {
      fn();
      done.set_value();
    });
    done.get_future().wait();
  }
};

SocketForwarder::SocketForwarder() : impl_(std::make_unique<Impl>()) {
  impl_->thread = std::thread([this] { impl_->io.run(); });
}

SocketForwarder::~SocketForwarder() {
  std::map<std::string, std::shared_ptr<Listener>> listeners;
  {
    std::lock_guard lock(impl_->mu);
    listeners.swap(impl_->listeners);
  }
  impl_->OnIoThread([&] {
    for (auto& [path, l] : listeners) {
      boost::system::error_code ignored;
      l->acceptor.close(ignored);
    }
  });
  // The socket files stay: a control plane that restarts listens on them again at once.
  impl_->work.reset();
  impl_->io.stop();
  impl_->thread.join();
}

Status SocketForwarder::Listen(const ListenSpec& spec) {
  boost::system::error_code ec;
  auto address = asio::ip::make_address_v4(spec.host, ec);
  if (ec) {
    return Status::InvalidArgument("forward " + spec.path + ": not an IPv4 address: " + spec.host);
  }
  Close(spec.path);
  auto listener = std::make_shared<Listener>(
      impl_->io, Tcp::endpoint(address, static_cast<uint16_t>(spec.port)));
  std::error_code fs_ec;
  std::filesystem::remove(spec.path, fs_ec);  // a stale file would make bind fail
  Status result;
  impl_->OnIoThread([&] {
    auto& acceptor = listener->acceptor;
    boost::system::error_code e;
    acceptor.open(Unix(), e);
    if (!e) acceptor.bind(Unix::endpoint(spec.path), e);
    if (!e) acceptor.listen(asio::socket_base::max_listen_connections, e);
    if (e) {
      result = Status::Internal("listen on " + spec.path + ": " + e.message());
      return;
    }
    Accept(listener, impl_->io);
  });
  if (!result.ok()) return result;
  if (::chmod(spec.path.c_str(), spec.mode) != 0 ||
      ((spec.uid >= 0 || spec.gid >= 0) && ::chown(spec.path.c_str(), spec.uid, spec.gid) != 0)) {
    std::string why = std::strerror(errno);
    Close(spec.path);
    return Status::Internal("set owner and mode of " + spec.path + ": " + why);
  }
  std::lock_guard lock(impl_->mu);
  impl_->listeners[spec.path] = std::move(listener);
  return Status::Ok();
}

void SocketForwarder::Close(const std::string& path) {
  std::shared_ptr<Listener> listener;
  {
    std::lock_guard lock(impl_->mu);
    auto it = impl_->listeners.find(path);
    if (it != impl_->listeners.end()) {
      listener = it->second;
      impl_->listeners.erase(it);
    }
  }
  if (listener) {
    impl_->OnIoThread([&] {
      boost::system::error_code ignored;
      listener->acceptor.close(ignored);
    });
  }
  std::error_code ec;
  std::filesystem::remove(path, ec);
}

std::string SocketForwarder::Target(const std::string& path) const {
  std::lock_guard lock(impl_->mu);
  auto it = impl_->listeners.find(path);
  if (it == impl_->listeners.end()) return "";
  return it->second->target.address().to_string() + ":" + std::to_string(it->second->target.port());
}

}  // namespace rockpool::tart
