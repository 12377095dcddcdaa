#pragma once

#include <memory>
#include <string>
#include <vector>

namespace vapidash::test {

// A server certificate and its private key, PEM.
struct TestCertificate {
  std::string cert_pem;
  std::string key_pem;
};

// A certificate authority made in memory for one test: nothing is checked in, so nothing expires or leaks.
class TestCa {
 public:
  explicit TestCa(const std::string& name = "vapidash test CA");
  ~TestCa();
  TestCa(const TestCa&) = delete;
  TestCa& operator=(const TestCa&) = delete;

  const std::string& cert_pem() const noexcept { return cert_pem_; }

  // A server certificate signed by this CA for `names`: DNS names or IP addresses, in its subjectAltName.
  TestCertificate issue(const std::vector<std::string>& names) const;

 private:
  struct Keys;
  std::unique_ptr<Keys> keys_;
  std::string cert_pem_;
};

}  // namespace vapidash::test
