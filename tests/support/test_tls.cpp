#include "support/test_tls.hpp"

#include "vapidash/net/net.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <atomic>
#include <stdexcept>

namespace vapidash::test {

namespace {

using Key = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using Certificate = std::unique_ptr<X509, decltype(&X509_free)>;
using Bio = std::unique_ptr<BIO, decltype(&BIO_free)>;

void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("test TLS: ") + what + " failed");
}

Key new_key() {
  Key key(EVP_EC_gen("P-256"), EVP_PKEY_free);
  check(key != nullptr, "generating a key");
  return key;
}

void add_extension(X509* cert, X509V3_CTX& context, int nid, const std::string& value) {
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value.c_str());
  check(extension != nullptr, "making an extension");
  X509_add_ext(cert, extension, -1);
  X509_EXTENSION_free(extension);
}

bool is_ip_address(const std::string& name) {
  boost::system::error_code ec;
  net::ip::make_address(name, ec);
  return !ec;
}

std::string subject_alt_names(const std::vector<std::string>& names) {
  std::string text;
  for (const auto& name : names)
    text += (text.empty() ? "" : ",") + std::string(is_ip_address(name) ? "IP:" : "DNS:") + name;
  return text;
}

// An unsigned certificate for `key` named `common_name`, valid from an hour ago for a day, issued by `issuer`
// (itself when null).
Certificate new_certificate(EVP_PKEY* key, const std::string& common_name, X509* issuer) {
  static std::atomic<long> serial{1};
  Certificate cert(X509_new(), X509_free);
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial++);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24 * 3600);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer) : name);
  return cert;
}

void sign(X509* cert, EVP_PKEY* key) {
  check(X509_sign(cert, key, EVP_sha256()) > 0, "signing");
}

std::string pem_of(X509* cert) {
  Bio bio(BIO_new(BIO_s_mem()), BIO_free);
  check(PEM_write_bio_X509(bio.get(), cert) == 1, "writing a certificate");
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

std::string pem_of(EVP_PKEY* key) {
  Bio bio(BIO_new(BIO_s_mem()), BIO_free);
  check(PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1,
        "writing a key");
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

}  // namespace

struct TestCa::Keys {
  Key key = new_key();
  Certificate cert{nullptr, X509_free};
};

TestCa::TestCa(const std::string& name) : keys_(std::make_unique<Keys>()) {
  keys_->cert = new_certificate(keys_->key.get(), name, nullptr);
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, keys_->cert.get(), keys_->cert.get(), nullptr, nullptr, 0);
  add_extension(keys_->cert.get(), context, NID_basic_constraints, "critical,CA:TRUE");
  add_extension(keys_->cert.get(), context, NID_key_usage, "critical,keyCertSign,cRLSign");
  add_extension(keys_->cert.get(), context, NID_subject_key_identifier, "hash");
  sign(keys_->cert.get(), keys_->key.get());
  cert_pem_ = pem_of(keys_->cert.get());
}

TestCa::~TestCa() = default;

TestCertificate TestCa::issue(const std::vector<std::string>& names) const {
  const auto key = new_key();
  const auto cert = new_certificate(key.get(), names.empty() ? "server" : names.front(), keys_->cert.get());
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, keys_->cert.get(), cert.get(), nullptr, nullptr, 0);
  add_extension(cert.get(), context, NID_basic_constraints, "CA:FALSE");
  add_extension(cert.get(), context, NID_key_usage, "critical,digitalSignature");
  add_extension(cert.get(), context, NID_ext_key_usage, "serverAuth");
  add_extension(cert.get(), context, NID_authority_key_identifier, "keyid:always");
  if (!names.empty()) add_extension(cert.get(), context, NID_subject_alt_name, subject_alt_names(names));
  sign(cert.get(), keys_->key.get());
  return TestCertificate{pem_of(cert.get()), pem_of(key.get())};
}

}  // namespace vapidash::test
