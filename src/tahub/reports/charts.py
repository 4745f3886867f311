"""Charts of report tables, drawn by matplotlib as SVG (pages) or PNG (documents).

Every chart is drawn from a computed ``Table`` and is shown beside that table, so its figures
can always be read as text. matplotlib (3.11 and later lays out Arabic and other scripts itself)
is imported on first use: most processes never draw. In an SVG the text stays text.
"""

import io

from django.utils.translation import get_language_bidi

from tahub.reports.definition import Table

FONTS = ["DejaVu Sans", "Noto Sans", "Noto Sans Arabic", "Noto Sans CJK SC", "Noto Sans CJK JP"]
PALETTE = ["#1f5f8b", "#e08a1e", "#4f9d69", "#b8434b", "#7a5195", "#6c757d"]


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({
        "font.family": FONTS, "font.size": 9, "svg.fonttype": "none", "axes.spines.top": False,
        "axes.spines.right": False, "svg.hashsalt": "tahub",
    })
    return plt


def _short(text, limit=38):
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _series(table, columns):
    labels = {c.key: c.label for c in table.columns}
    rows = [row for row in table.rows if any(row.cells[k].value for k in columns)]
    return labels, rows


def draw(table: Table, *, image_format="svg"):
    """The chart of ``table`` as bytes (``svg`` or ``png``), or None when it has nothing to show."""
    columns = list(table.chart_columns)
    labels, rows = _series(table, columns)
    if not table.has_chart or not rows:
        return None
    plt = _pyplot()
    rtl = get_language_bidi()
    if table.chart == "heat":
        figure = _heat(plt, table, columns, labels, rows)
    elif table.chart == "line":
        figure = _line(plt, table, columns, labels, rows)
    else:
        figure = _bars(plt, table, columns, labels, rows, rtl)
    figure.suptitle(str(table.title), fontsize=10, fontweight="bold")
    buffer = io.BytesIO()
    metadata = {"Title": table.title, "Description": table.description} if image_format == "svg" else {}
    figure.savefig(buffer, format=image_format, bbox_inches="tight", dpi=150, metadata=metadata or None)
    plt.close(figure)
    return buffer.getvalue()


def _bars(plt, table, columns, labels, rows, rtl):
    import numpy as np

    height = 0.8 / len(columns)
    figure, axes = plt.subplots(figsize=(7.5, 0.45 * len(rows) * max(1, len(columns) * 0.6) + 1.2))
    positions = np.arange(len(rows))
    for index, key in enumerate(columns):
        values = [row.cells[key].value or 0 for row in rows]
        axes.barh(positions + index * height, values, height=height, label=str(labels[key]), color=PALETTE[index % len(PALETTE)])
    axes.set_yticks(positions + height * (len(columns) - 1) / 2, [str(_short(row.label)) for row in rows])
    axes.invert_yaxis()
    if rtl:
        axes.invert_xaxis()
        axes.yaxis.tick_right()
    if len(columns) > 1:
        axes.legend(frameon=False, loc="lower right" if not rtl else "lower left")
    axes.grid(axis="x", color="#dddddd", linewidth=0.6)
    axes.set_axisbelow(True)
    return figure


def _heat(plt, table, columns, labels, rows):
    import numpy as np

    values = np.array([[row.cells[k].value if row.cells[k].value is not None else np.nan for k in columns] for row in rows], dtype=float)
    figure, axes = plt.subplots(figsize=(1.2 * len(columns) + 3.5, 0.42 * len(rows) + 1.5))
    image = axes.imshow(np.ma.masked_invalid(values), cmap="Oranges", aspect="auto")
    axes.set_xticks(range(len(columns)), [str(_short(labels[k], 18)) for k in columns], rotation=30, ha="right")
    axes.set_yticks(range(len(rows)), [str(_short(row.label)) for row in rows])
    peak = np.nanmax(values) if np.isfinite(values).any() else 0
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            value = values[i, j]
            text = "—" if np.isnan(value) else f"{int(value)}"
            axes.text(j, i, text, ha="center", va="center", fontsize=8,
                      color="white" if peak and not np.isnan(value) and value > peak * 0.6 else "black")
    figure.colorbar(image, ax=axes, shrink=0.6)
    axes.spines[:].set_visible(False)
    return figure


def _line(plt, table, columns, labels, rows):
    figure, axes = plt.subplots(figsize=(7.5, 4.2))
    steps = range(len(columns))
    for index, row in enumerate(rows):
        axes.plot(steps, [row.cells[k].value for k in columns], marker="o", label=str(_short(row.label, 30)),
                  color=PALETTE[index % len(PALETTE)], linestyle="-" if index < len(PALETTE) else "--")
    axes.set_xticks(list(steps), [str(_short(labels[k].rsplit(" ", 1)[-1], 12)) for k in columns])
    axes.legend(frameon=False, fontsize=7, loc="center left", bbox_to_anchor=(1, 0.5))
    axes.grid(axis="y", color="#dddddd", linewidth=0.6)
    return figure

