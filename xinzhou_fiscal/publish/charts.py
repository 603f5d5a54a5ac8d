"""Chinese-capable charts for the notebooks.

The font ships with the install: the ``mplfonts`` package (a dependency in pyproject.toml) carries
``mplfonts/fonts/NotoSansCJKsc-Regular.otf`` (Noto Sans CJK SC). :func:`setup_fonts` registers that
file with matplotlib's font manager and makes it the first sans-serif family, so every label in
Chinese renders without tofu or "Glyph ... missing from font" warnings. Nothing is downloaded at
run time and no system font is needed.

The helpers take the tidy frames of :mod:`xinzhou_fiscal.analysis` and return a matplotlib
``Figure``; they never call ``plt.show()`` (the notebook's inline backend displays the figure).
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
from matplotlib import font_manager
from matplotlib.figure import Figure

from xinzhou_fiscal.errors import FontNotFoundError

#: Family name of the bundled font as matplotlib reports it.
CJK_FAMILY = "Noto Sans CJK SC"
#: Fallbacks for glyphs the CJK font lacks (matplotlib ≥ 3.6 falls back glyph by glyph).
FALLBACK_FAMILIES = ("DejaVu Sans",)

_PALETTE = ("#4C72B0", "#DD8452", "#55A868", "#C44E52", "#8172B3", "#937860", "#DA8BC3",
            "#8C8C8C", "#CCB974", "#64B5CD")


def cjk_font_path() -> Path:
    """Path of the Noto Sans CJK SC file that the ``mplfonts`` package installs (found through its
    import spec: importing mplfonts would import fontTools, ~70 ms of every kernel that draws)."""
    from importlib.util import find_spec

    spec = find_spec("mplfonts")
    if spec is None or not spec.submodule_search_locations:  # pragma: no cover - mplfonts is a hard dependency
        raise FontNotFoundError(
            "the 'mplfonts' package is not installed; it ships the Chinese font used by every "
            "chart (pip install mplfonts)")
    path = Path(next(iter(spec.submodule_search_locations))).resolve() / "fonts" / "NotoSansCJKsc-Regular.otf"
    if not path.is_file():
        raise FontNotFoundError(f"the Chinese font is missing from the mplfonts install: {path.name} "
                                "(reinstall mplfonts)")
    return path


def setup_fonts() -> str:
    """Register the bundled CJK font and make it matplotlib's default. Idempotent.

    Sets ``font.family = sans-serif`` with the CJK family first in ``font.sans-serif`` and
    ``axes.unicode_minus = False`` (the CJK font has no U+2212 minus). Returns the family name.
    """
    family = _registered_family(str(cjk_font_path()), id(font_manager.fontManager))
    rc = matplotlib.rcParams
    rc["font.family"] = ["sans-serif"]
    rest = [f for f in rc["font.sans-serif"] if f not in (family, *FALLBACK_FAMILIES)]
    rc["font.sans-serif"] = [family, *FALLBACK_FAMILIES, *rest]
    rc["axes.unicode_minus"] = False
    return family


@cache
def _registered_family(path: str, manager: int) -> str:
    """Register the font file ``path`` with matplotlib's font manager (``manager``: its id, so a
    replaced manager registers it again), once per process; its family name."""
    if Path(path) not in {Path(f.fname).resolve() for f in font_manager.fontManager.ttflist}:
        font_manager.fontManager.addfont(path)
    return font_manager.FontProperties(fname=path).get_name()


def resolved_font_file() -> Path:
    """The file matplotlib actually uses for the default (sans-serif) text."""
    props = font_manager.FontProperties(family=matplotlib.rcParams["font.family"])
    return Path(font_manager.findfont(props, fallback_to_default=False)).resolve()


def setup_notebook() -> None:
    """Everything a notebook's first cell needs: :func:`apply_style`, the inline backend drawing
    each figure once, and fixed pandas display options (two decimals, no thousands separator,
    wide enough tables)."""
    apply_style()
    _inline_draws_once()
    pd.set_option("display.float_format", "{:.2f}".format)
    pd.set_option("display.max_rows", 80)
    pd.set_option("display.max_columns", 30)
    pd.set_option("display.width", 160)
    pd.set_option("display.max_colwidth", 240)


def apply_style() -> None:
    """The charts' look, in matplotlib's rcParams: a plain seaborn style, the palette, the CJK
    font, 8 × 4.2 in at 100 dpi.

    The whitegrid look comes from matplotlib's bundled copy of seaborn's style (importing seaborn
    itself costs a second per kernel); the style resets the font settings, so it runs first and the
    font last. Wrap in ``matplotlib.rc_context()`` to leave the caller's settings as they were."""
    import matplotlib.pyplot as plt
    from cycler import cycler

    plt.style.use("seaborn-v0_8-whitegrid")
    matplotlib.rcParams["axes.prop_cycle"] = cycler(color=list(_PALETTE))
    setup_fonts()
    rc = matplotlib.rcParams
    rc["figure.figsize"] = (8.0, 4.2)
    rc["figure.dpi"] = 100
    rc["savefig.dpi"] = 100
    rc["svg.hashsalt"] = "xinzhou-fiscal"


def png_bytes(fig: Figure) -> bytes:
    """``fig`` as PNG, drawn once as laid out (what the inline backend shows after
    :func:`setup_notebook`: the figure's own size and dpi, no tight bounding box), then closed."""
    import io

    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=fig.dpi, bbox_inches=None, facecolor=fig.get_facecolor(),
                edgecolor=fig.get_edgecolor())
    plt.close(fig)
    return buffer.getvalue()


def _inline_draws_once() -> None:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with the notebook stack
        return
    shell = get_ipython()
    if shell is not None:
        shell.run_line_magic("config", "InlineBackend.print_figure_kwargs = {'bbox_inches': None}")


# --------------------------------------------------------------------------- helpers

def _figure(height: float | None = None, width: float = 8.0) -> tuple[Figure, "matplotlib.axes.Axes"]:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(width, height or 4.2), layout="constrained")
    return fig, ax


def _no_data(ax, title: str) -> None:
    ax.set_title(title)
    ax.text(0.5, 0.5, "无数据", ha="center", va="center", transform=ax.transAxes, fontsize=14,
            color="#888888")
    ax.set_xticks([])
    ax.set_yticks([])


def _clean(df: pd.DataFrame | None, columns: list[str]) -> pd.DataFrame:
    if df is None or df.empty or not set(columns) <= set(df.columns):
        return pd.DataFrame(columns=columns)
    out = df[columns].copy()
    for c in columns[1:]:
        out[c] = pd.to_numeric(out[c], errors="coerce")
    return out.dropna(how="all", subset=columns[1:])


def bar_chart(df: pd.DataFrame, label: str, value: str, *, title: str, xlabel: str = "万元",
              fmt: str = "{:.2f}", color: str | None = None) -> Figure:
    """Horizontal bars, one per row, largest at the top, each with its value printed."""
    data = _clean(df, [label, value]).dropna(subset=[value])
    fig, ax = _figure(height=max(2.4, 0.45 * len(data) + 1.2))
    if data.empty:
        _no_data(ax, title)
        return fig
    data = data.iloc[::-1]
    bars = ax.barh(data[label].astype(str), data[value], color=color or _PALETTE[0])
    ax.bar_label(bars, labels=[fmt.format(v) for v in data[value]], padding=3, fontsize=9)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.margins(x=0.15)
    return fig


def stacked_bar_chart(df: pd.DataFrame, label: str, parts: list[str], *, title: str,
                      xlabel: str = "万元", names: dict[str, str] | None = None) -> Figure:
    """Horizontal stacked bars: one bar per row, one segment per column in ``parts`` (legend
    entries renamed by ``names``)."""
    names = names or {}
    data = _clean(df, [label, *parts])
    fig, ax = _figure(height=max(2.4, 0.5 * len(data) + 1.4))
    if data.empty:
        _no_data(ax, title)
        return fig
    data = data.iloc[::-1].fillna({p: 0.0 for p in parts})
    left = np.zeros(len(data))
    for i, part in enumerate(parts):
        ax.barh(data[label].astype(str), data[part], left=left, label=names.get(part, part),
                color=_PALETTE[i % len(_PALETTE)])
        left = left + data[part].to_numpy(dtype=float)
    for y, total in enumerate(left):
        ax.text(total, y, f" {total:.2f}", va="center", fontsize=9)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.margins(x=0.15)
    ax.legend(loc="lower right", frameon=False)
    return fig


#: more groups than this are drawn as horizontal bars, one row per group, so that every label and
#: value stays legible however many there are
MAX_VERTICAL_GROUPS = 6


def grouped_bar_chart(df: pd.DataFrame, label: str, series: list[str], *, title: str,
                      ylabel: str = "万元", fmt: str = "{:.2f}", rotate: int = 0,
                      names: dict[str, str] | None = None) -> Figure:
    """Grouped bars (e.g. 预算数 vs 决算数 per item), values printed on the bars (legend entries
    renamed by ``names``; the legend sits above the plot, never over a bar). Up to
    :data:`MAX_VERTICAL_GROUPS` groups stand vertically; more lie horizontally, one row each, the
    figure growing with them."""
    names = names or {}
    data = _clean(df, [label, *series])
    horizontal = len(data) > MAX_VERTICAL_GROUPS
    fig, ax = _figure(height=max(2.8, 0.3 * len(data) * len(series) + 1.6) if horizontal else None,
                      width=8.0 if horizontal else max(6.0, 1.2 * len(data) + 3.0))
    if data.empty:
        _no_data(ax, title)
        return fig
    if horizontal:
        data = data.iloc[::-1]
    pos = np.arange(len(data))
    size = 0.8 / max(1, len(series))
    draw = ax.barh if horizontal else ax.bar
    for i, s in enumerate(series):
        vals = data[s].to_numpy(dtype=float)
        offset = ((len(series) - 1) / 2 - i if horizontal else i - (len(series) - 1) / 2) * size
        bars = draw(pos + offset, np.nan_to_num(vals), size, label=names.get(s, s), color=_PALETTE[i % len(_PALETTE)])
        ax.bar_label(bars, labels=["" if np.isnan(v) else fmt.format(v) for v in vals], padding=2, fontsize=8)
    if horizontal:
        ax.set_yticks(pos, data[label].astype(str))
        ax.grid(axis="y", visible=False)
        ax.set_xlabel(ylabel)
        ax.margins(x=0.15)
    else:
        ax.set_xticks(pos, data[label].astype(str), rotation=rotate, ha="right" if rotate else "center")
        ax.grid(axis="x", visible=False)
        ax.set_ylabel(ylabel)
        ax.margins(y=0.15)
    ax.set_title(title)
    fig.legend(loc="outside upper right", ncols=len(series), frameon=False)
    return fig


def execution_score_chart(projects: pd.DataFrame, *, title: str = "项目预算执行率与自评得分") -> Figure:
    """Scatter of execution rate (%) against total self-assigned score, one point per project,
    with the grade thresholds (优 ≥ 90, 良 ≥ 80, 中 ≥ 60) drawn as lines."""
    data = _clean(projects, ["project", "execution_rate", "total_score"]).dropna()
    fig, ax = _figure(height=4.6)
    if data.empty:
        _no_data(ax, title)
        return fig
    ax.scatter(data["execution_rate"], data["total_score"], color=_PALETTE[0], zorder=3)
    for threshold, grade in ((90, "优"), (80, "良"), (60, "中")):
        ax.axhline(threshold, color="#999999", lw=0.8, ls="--")
        ax.text(1, threshold, f" {grade} ≥ {threshold}", va="bottom", fontsize=8, color="#666666")
    ax.plot([0, 100], [90, 100], color=_PALETTE[3], lw=0.8, label="得分上限 = 90 + 执行率 × 10")
    ax.set_xlim(0, 105)
    ax.set_ylim(0, 105)
    ax.set_xlabel("预算执行率（%）")
    ax.set_ylabel("自评总分")
    ax.set_title(title)
    ax.legend(loc="lower right", frameon=False, fontsize=8)
    return fig


def comparison_chart(df: pd.DataFrame, label: str, value: str, *, title: str, xlabel: str,
                     fmt: str = "{:.2f}") -> Figure:
    """One bar per department-year for a headline ratio (a thin wrapper over :func:`bar_chart`)."""
    return bar_chart(df, label, value, title=title, xlabel=xlabel, fmt=fmt, color=_PALETTE[2])
