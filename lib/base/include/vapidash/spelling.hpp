#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vapidash {

// Edits (insert, delete, substitute, swap two neighbours) that turn `a` into `b`: "tial" is one from "tail".
inline std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

// The candidate a typo most likely meant: the closest one within a third of its length, if any.
inline std::optional<std::string> nearest_word(std::string_view typed,
                                               const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  std::size_t best_distance = 0;
  for (const auto& candidate : candidates) {
    const auto distance = edit_distance(typed, candidate);
    if (distance * 3 > std::max(candidate.size(), std::size_t{3})) continue;
    if (!best || distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

// "a, b, c": for messages that list what is allowed.
inline std::string comma_list(const std::vector<std::string>& words) {
  std::string list;
  for (const auto& word : words) list += (list.empty() ? "" : ", ") + word;
  return list;
}

// `what` "x" is unknown: names the nearest known one when there is one, then lists them all.
inline std::string unknown_word_message(std::string_view what, std::string_view typed,
                                        const std::vector<std::string>& known) {
  std::string text = "unknown " + std::string(what) + " \"" + std::string(typed) + "\"";
  if (const auto guess = nearest_word(typed, known)) text += " (did you mean " + *guess + "?)";
  return text + "; known: " + comma_list(known);
}

}  // namespace vapidash
