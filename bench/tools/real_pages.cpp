// Pages for the real-page benchmark (bench/real_compare.sh), with OpenCV:
//   real_pages upscale IN OUT.png FACTOR
//       IN scaled by FACTOR (bicubic), the "tesseract on the upscaled image" peer.
//   real_pages phone IN OUT.jpg SEED
//       a clean generated page (300 dpi) degraded as a phone or an old scanner
//       gives it, seeded: scaled to 70-150 dpi, blurred, a red seal stamped over
//       the lower right (the signature's place), sometimes a slight perspective
//       and a shadow, saved as JPEG of quality 60-80. The file claims 72 dpi,
//       as phone photos do.
#include <cstdio>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <random>
#include <string>
#include <vector>

namespace {

int upscale(const std::string& in, const std::string& out, double factor) {
  cv::Mat image = cv::imread(in, cv::IMREAD_COLOR);
  if (image.empty()) return 2;
  cv::Mat big;
  cv::resize(image, big, cv::Size(), factor, factor, cv::INTER_CUBIC);
  return cv::imwrite(out, big) ? 0 : 2;
}

void stamp_seal(cv::Mat& bgr, std::mt19937& rng) {
  std::uniform_real_distribution<double> u(0, 1);
  cv::Point centre(static_cast<int>(bgr.cols * (0.62 + 0.1 * u(rng))),
                   static_cast<int>(bgr.rows * (0.80 + 0.08 * u(rng))));
  int radius = bgr.cols / 9;
  cv::Mat ink(bgr.size(), CV_8UC1, cv::Scalar(0));
  int stroke = std::max(2, radius / 12);
  cv::circle(ink, centre, radius, 255, stroke, cv::LINE_AA);
  cv::circle(ink, centre, radius * 3 / 4, 255, std::max(1, stroke / 2), cv::LINE_AA);
  cv::putText(ink, "UBND", centre + cv::Point(-radius / 2, radius / 8), cv::FONT_HERSHEY_SIMPLEX,
              radius / 60.0, 255, std::max(1, stroke / 2), cv::LINE_AA);
  // Seal ink multiplies the page: red over paper, dark red over print.
  const cv::Vec3f red(0.25f, 0.2f, 0.9f);  // BGR reflectance of the ink
  for (int r = 0; r < bgr.rows; ++r) {
    const uchar* a = ink.ptr<uchar>(r);
    cv::Vec3b* p = bgr.ptr<cv::Vec3b>(r);
    for (int c = 0; c < bgr.cols; ++c) {
      if (!a[c]) continue;
      float alpha = a[c] / 255.0f * 0.85f;
      for (int k = 0; k < 3; ++k)
        p[c][k] = cv::saturate_cast<uchar>(p[c][k] * (1 - alpha + alpha * red[k]));
    }
  }
}

int phone(const std::string& in, const std::string& out, unsigned seed) {
  cv::Mat grey = cv::imread(in, cv::IMREAD_GRAYSCALE);
  if (grey.empty()) return 2;
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  cv::Mat bgr;
  cv::cvtColor(grey, bgr, cv::COLOR_GRAY2BGR);
  stamp_seal(bgr, rng);
  if (u(rng) < 0.5) {  // perspective: corners pulled in by up to 4% of the width
    float w = bgr.cols, h = bgr.rows, d = 0.04f * w;
    std::vector<cv::Point2f> from{{0, 0}, {w, 0}, {w, h}, {0, h}};
    std::vector<cv::Point2f> to{{float(d * u(rng)), float(d * u(rng))},
                                {float(w - d * u(rng)), float(d * u(rng))},
                                {float(w - d * u(rng)), float(h - d * u(rng))},
                                {float(d * u(rng)), float(h - d * u(rng))}};
    cv::Mat warped;
    cv::warpPerspective(bgr, warped, cv::getPerspectiveTransform(from, to), bgr.size(),
                        cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar(90, 90, 90));
    bgr = warped;
  }
  if (u(rng) < 0.5) {  // a shadow: light falling off towards one side
    for (int c = 0; c < bgr.cols; ++c) {
      double f = 0.7 + 0.3 * c / double(bgr.cols);
      for (int r = 0; r < bgr.rows; ++r) bgr.at<cv::Vec3b>(r, c) *= f;
    }
  }
  double dpi = 70 + 80 * u(rng);
  cv::Mat small;
  cv::resize(bgr, small, cv::Size(), dpi / 300, dpi / 300, cv::INTER_AREA);
  double sigma = 0.3 + 0.6 * u(rng);
  cv::GaussianBlur(small, small, cv::Size(0, 0), sigma);
  int quality = 60 + static_cast<int>(20 * u(rng));
  std::printf("%s dpi %.0f blur %.2f jpeg %d\n", out.c_str(), dpi, sigma, quality);
  return cv::imwrite(out, small, {cv::IMWRITE_JPEG_QUALITY, quality}) ? 0 : 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 5 && std::string(argv[1]) == "upscale")
    return upscale(argv[2], argv[3], std::stod(argv[4]));
  if (argc == 5 && std::string(argv[1]) == "phone")
    return phone(argv[2], argv[3], static_cast<unsigned>(std::stoul(argv[4])));
  std::fprintf(stderr, "usage: real_pages upscale IN OUT.png FACTOR | phone IN OUT.jpg SEED\n");
  return 1;
}
