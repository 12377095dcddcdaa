#include "vapidash/model/identifier.hpp"

#include <gtest/gtest.h>

#include <string>

#include "vapidash/error.hpp"

namespace vapidash::test {
namespace {

bool in_allowed_set(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == ':' || c == '-';
}

TEST(IsValidIdentifier, AcceptsTheDocumentedExamples) {
  for (const char* id : {"demo-client", "acme-agency", "senior-life", "call-xyz-1", "debug-1765332952",
                         "debug-1765332952-2", "a", "A.b_c:d-9", "019a2b3c-4d5e-6f70-8192-a3b4c5d6e7f8"}) {
    EXPECT_TRUE(is_valid_identifier(id)) << id;
  }
}

TEST(IsValidIdentifier, AcceptsOneToOneHundredTwentyEightCharacters) {
  EXPECT_FALSE(is_valid_identifier(""));
  EXPECT_TRUE(is_valid_identifier(std::string(1, 'x')));
  EXPECT_TRUE(is_valid_identifier(std::string(127, 'x')));
  EXPECT_TRUE(is_valid_identifier(std::string(128, 'x')));
  EXPECT_FALSE(is_valid_identifier(std::string(129, 'x')));
  EXPECT_FALSE(is_valid_identifier(std::string(10000, 'x')));
}

TEST(IsValidIdentifier, AcceptsExactlyTheDocumentedCharacters) {
  for (int byte = 0; byte < 256; ++byte) {
    const char c = static_cast<char>(byte);
    const std::string id = std::string("ok") + c + "ok";
    EXPECT_EQ(is_valid_identifier(id), in_allowed_set(c)) << "byte " << byte;
  }
}

TEST(IsValidIdentifier, RejectsSpacesSlashesUnicodeAndNul) {
  for (const std::string& id :
       {std::string("a b"), std::string(" a"), std::string("a "), std::string("a/b"), std::string("../etc"),
        std::string("a\\b"), std::string("caf\xc3\xa9"), std::string("\xe7\x94\xb5\xe8\xaf\x9d"),
        std::string("a\0b", 3), std::string(1, '\0'), std::string("a\tb"), std::string("a\nb"),
        std::string("a?b=c"), std::string("a%20b"), std::string("a#b"), std::string("a+b")}) {
    EXPECT_FALSE(is_valid_identifier(id)) << '"' << id << '"';
  }
}

TEST(RequireIdentifier, AcceptsAValidIdentifierSilently) {
  EXPECT_NO_THROW(require_identifier("call_id", "call-xyz-1"));
  EXPECT_NO_THROW(require_identifier("client_id", std::string(128, 'z')));
}

TEST(RequireIdentifier, ThrowsInvalidIdentifierNamingTheField) {
  for (const std::string& id :
       {std::string(), std::string("a b"), std::string(129, 'x'), std::string("a/b")}) {
    try {
      require_identifier("call_id", id);
      ADD_FAILURE() << "no exception for \"" << id << '"';
    } catch (const invalid_input& e) {
      EXPECT_EQ(e.code(), "invalid_identifier");
      EXPECT_NE(std::string(e.what()).find("call_id"), std::string::npos) << e.what();
    }
  }
}

TEST(RequireIdentifier, ThrowsALibraryError) {
  EXPECT_THROW(require_identifier("client_id", "bad id"), vapidash::error);
}

}  // namespace
}  // namespace vapidash::test
