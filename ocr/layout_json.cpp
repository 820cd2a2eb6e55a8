#include "ocr/layout_json.h"

#include <nlohmann/json.hpp>

namespace sohoa::ocr {
namespace {

using nlohmann::json;

json box_json(const ocr::Box& b) { return json::array({b.x, b.y, b.w, b.h}); }

json words_json(const std::vector<ocr::Word>& words) {
  json out = json::array();
  for (const auto& word : words) {
    out.push_back({{"text", word.text}, {"box", box_json(word.box)}, {"conf", word.confidence}});
  }
  return out;
}

ocr::Box box_from(const json& j) {
  return ocr::Box{j.at(0).get<int>(), j.at(1).get<int>(), j.at(2).get<int>(), j.at(3).get<int>()};
}

}  // namespace

std::string layout_to_json(const ocr::PageText& page) {
  json blocks = json::array();
  for (const auto& block : page.blocks) {
    json lines = json::array();
    for (const auto& line : block.lines) {
      lines.push_back({{"box", box_json(line.box)}, {"words", words_json(line.words)}});
    }
    blocks.push_back({{"box", box_json(block.box)}, {"lines", std::move(lines)}});
  }
  json out = {{"width", page.width},
              {"height", page.height},
              {"confidence", page.mean_confidence},
              {"blocks", std::move(blocks)}};
  // Only when the re-read stage ran, so that other layouts keep their bytes.
  if (!page.rereads.empty()) {
    json rereads = json::array();
    for (const auto& r : page.rereads) {
      json readings = json::array();
      for (const auto& line : r.readings) readings.push_back({{"words", words_json(line.words)}});
      rereads.push_back({{"box", box_json(r.box)}, {"readings", std::move(readings)}});
    }
    out["rereads"] = std::move(rereads);
  }
  return out.dump();
}

namespace {

std::vector<ocr::Word> words_from(const json& list) {
  std::vector<ocr::Word> words;
  for (const auto& jw : list) {
    words.push_back(ocr::Word{jw.at("text").get<std::string>(), box_from(jw.at("box")),
                              jw.value("conf", 0.0f)});
  }
  return words;
}

std::string joined(const std::vector<ocr::Word>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w.text;
  return out;
}

}  // namespace

ocr::PageText layout_from_json(const std::string& text) {
  ocr::PageText page;
  try {
    json j = json::parse(text);
    page.width = j.value("width", 0);
    page.height = j.value("height", 0);
    page.mean_confidence = j.value("confidence", 0.0f);
    for (const auto& jb : j.at("blocks")) {
      ocr::Block block{box_from(jb.at("box")), {}};
      for (const auto& jl : jb.at("lines")) {
        ocr::Line line{{}, box_from(jl.at("box")), words_from(jl.at("words"))};
        line.text = joined(line.words);
        block.lines.push_back(std::move(line));
      }
      page.blocks.push_back(std::move(block));
    }
    if (j.contains("rereads")) {
      for (const auto& jr : j.at("rereads")) {
        ocr::Reread r{box_from(jr.at("box")), {}};
        for (const auto& jl : jr.at("readings")) {
          ocr::Line line{{}, r.box, words_from(jl.at("words"))};
          line.text = joined(line.words);
          r.readings.push_back(std::move(line));
        }
        page.rereads.push_back(std::move(r));
      }
    }
  } catch (const json::exception& e) {
    throw std::runtime_error(std::string("malformed page layout: ") + e.what());
  }
  for (const auto& block : page.blocks) {
    if (!page.text.empty()) page.text += '\n';
    for (const auto& line : block.lines) page.text += line.text + '\n';
  }
  return page;
}

}  // namespace sohoa::ocr
