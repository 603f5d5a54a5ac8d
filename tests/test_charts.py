"""Chinese text renders with the bundled font: no missing-glyph warning, no tofu."""
from __future__ import annotations

import io
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib import font_manager  # noqa: E402

from xinzhou_fiscal.publish import charts  # noqa: E402

LABELS = ["一般公共服务支出", "社会保障和就业支出", "“三公”经费（因公出国(境)费）", "机关运行经费 −5.00 万元"]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _render(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def test_font_file_ships_with_mplfonts():
    path = charts.cjk_font_path()
    assert path.name == "NotoSansCJKsc-Regular.otf"
    assert path.is_file() and path.stat().st_size > 1_000_000
    assert "mplfonts" in path.parts


def test_setup_fonts_is_idempotent_and_sets_rcparams():
    family = charts.setup_fonts()
    n_fonts = len(font_manager.fontManager.ttflist)
    assert charts.setup_fonts() == family == charts.CJK_FAMILY
    assert len(font_manager.fontManager.ttflist) == n_fonts  # registered once
    rc = matplotlib.rcParams
    assert rc["font.sans-serif"][0] == family
    assert rc["font.sans-serif"].count(family) == 1
    assert "sans-serif" in rc["font.family"]
    assert rc["axes.unicode_minus"] is False


def test_resolved_font_is_the_cjk_file():
    charts.setup_fonts()
    assert charts.resolved_font_file() == charts.cjk_font_path()
    for label in LABELS:
        props = font_manager.FontProperties(family=matplotlib.rcParams["font.family"])
        assert Path(font_manager.findfont(props)).resolve() == charts.cjk_font_path(), label


def test_chinese_figure_renders_without_glyph_warnings():
    charts.setup_fonts()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("error")
        fig, ax = plt.subplots()
        ax.barh(LABELS, [1.0, 2.0, 3.0, -4.0])
        ax.set_title("收入支出决算总表（公开01表）")
        ax.set_xlabel("万元")
        png = _render(fig)
    assert png.startswith(b"\x89PNG")
    glyph = [w for w in caught if "Glyph" in str(w.message) or "missing from font" in str(w.message)]
    assert not glyph


def test_glyph_check_would_catch_tofu():
    """The test above is meaningful: with a Latin-only font, the same figure warns."""
    with matplotlib.rc_context({"font.family": ["DejaVu Sans"], "font.sans-serif": ["DejaVu Sans"]}):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fig, ax = plt.subplots()
            ax.set_title("一般公共服务支出")
            _render(fig)
    assert any("missing from font" in str(w.message) for w in caught)


def test_setup_notebook_survives_seaborn_theme():
    charts.setup_notebook()
    assert matplotlib.rcParams["font.sans-serif"][0] == charts.CJK_FAMILY
    assert matplotlib.rcParams["axes.unicode_minus"] is False
    assert pd.get_option("display.float_format")(2795.375) == "2795.38"


@pytest.mark.parametrize("make", [
    lambda: charts.bar_chart(pd.DataFrame({"k": ["财政拨款收入", "其他收入"], "v": [2792.45, 0.0]}), "k", "v",
                             title="收入来源"),
    lambda: charts.stacked_bar_chart(pd.DataFrame({"k": ["一般公共服务支出"], "basic": [1459.12], "project": [1000.36]}),
                                     "k", ["basic", "project"], title="支出", names={"basic": "基本支出"}),
    lambda: charts.grouped_bar_chart(pd.DataFrame({"k": ["合计", "公务接待费"], "b": [8.59, 0.0], "a": [8.59, None]}),
                                     "k", ["b", "a"], title="三公", rotate=20),
    lambda: charts.execution_score_chart(pd.DataFrame({"project": ["领导调研费", "遗属人员补助"],
                                                       "execution_rate": [82.77, 6.87], "total_score": [96.28, 32.69]})),
    lambda: charts.bar_chart(pd.DataFrame(), "k", "v", title="无数据的图"),
    lambda: charts.execution_score_chart(pd.DataFrame()),
])
def test_chart_helpers_render_chinese_cleanly(make):
    charts.setup_notebook()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = make()
        png = _render(fig)
    assert png.startswith(b"\x89PNG")
