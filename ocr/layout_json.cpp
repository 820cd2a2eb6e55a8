#include "ocr/layout_json.h"

#include <nlohmann/json.hpp>

namespace sohoa::ocr {
namespace {

using nlohmann::json;

json box_json(const ocr::Box& b) { return json::array({b.x, b.y, b.w, b.h}); }

ocr::Box box_from(const json& j) {
  return ocr::Box{j.at(0).get<int>(), j.at(1).get<int>(), j.at(2).get<int>(), j.at(3).get<int>()};
}

}  // namespace

std::string layout_to_json(const ocr::PageText& page) {
  json blocks = json::array();
  for (const auto& block : page.blocks) {
    json lines = json::array();
    for (const auto& line : block.lines) {
      json words = json::array();
      for (const auto& word : line.words) {
        words.push_back(
            {{"text", word.text}, {"box", box_json(word.box)}, {"conf", word.confidence}});
      }
      lines.push_back({{"box", box_json(line.box)}, {"words", std::move(words)}});
    }
    blocks.push_back({{"box", box_json(block.box)}, {"lines", std::move(lines)}});
  }
  json out = {{"width", page.width},
              {"height", page.height},
              {"confidence", page.mean_confidence},
              {"blocks", std::move(blocks)}};
  return out.dump();
}

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
        ocr::Line line{{}, box_from(jl.at("box")), {}};
        for (const auto& jw : jl.at("words")) {
          line.words.push_back(ocr::Word{jw.at("text").get<std::string>(), box_from(jw.at("box")),
                                         jw.value("conf", 0.0f)});
          if (!line.text.empty()) line.text += ' ';
          line.text += line.words.back().text;
        }
        block.lines.push_back(std::move(line));
      }
      page.blocks.push_back(std::move(block));
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
