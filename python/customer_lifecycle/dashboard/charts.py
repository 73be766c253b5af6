"""Plotly figure builders for the dashboard: presentation only.

Every function takes rows a mart already holds (or sums of them) and draws them. Colours,
orders and labels live here so that a stage, value segment or risk level looks the same on
every page. Nothing here decides anything about a customer.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

# The marts carry no currency column; the explanations use the dbt var currency_symbol,
# whose default is the pound. Amounts are shown in the export's currency with this sign.
CURRENCY = "£"
NO_VALUE = "n/a"

STAGE_ORDER = ("new", "active", "cooling", "at_risk", "dormant")
VALUE_ORDER = ("vip", "high", "mid", "low")
RISK_ORDER = ("low", "medium", "high", "critical")
SIGNAL_ORDER = ("recency", "overdue", "frequency_decline", "monetary_decline", "returns")
MIGRATION_SOURCES = ("not_yet_customer",)

STAGE_COLORS = {
    "new": "#4C9BE8",
    "active": "#2E9E5B",
    "cooling": "#E9B949",
    "at_risk": "#E8743B",
    "dormant": "#8A8F98",
    "not_yet_customer": "#BFD3E6",
}
# Named RFM segments, coloured by what they call for: keep (green), grow (blue), wake
# (yellow), win back (orange/red), let go (grey).
RFM_COLORS = {
    "Champions": "#1E7B45",
    "Loyal Customers": "#2E9E5B",
    "Potential Loyalist": "#3C6FB6",
    "New Customers": "#4C9BE8",
    "Promising": "#8FB3DE",
    "Need Attention": "#E9B949",
    "About To Sleep": "#F0CF7E",
    "At Risk": "#E8743B",
    "Can't Lose Them": "#C0392B",
    "Hibernating": "#A5AAB2",
    "Lost": "#8A8F98",
}
VALUE_COLORS = {"vip": "#5B3A96", "high": "#3C6FB6", "mid": "#8FB3DE", "low": "#C9D3DF"}
RISK_COLORS = {
    "low": "#2E9E5B",
    "medium": "#E9B949",
    "high": "#E8743B",
    "critical": "#C0392B",
}
SIGNAL_COLORS = {
    "recency": "#3C6FB6",
    "overdue": "#E8743B",
    "frequency_decline": "#9B59B6",
    "monetary_decline": "#C0392B",
    "returns": "#8A8F98",
    "none": "#D5D8DC",
}
NEUTRAL = "#8A8F98"
ACCENT = "#3C6FB6"
BENEFIT = "#2E9E5B"
COST = "#E8743B"

_LABELS = {
    "vip": "VIP",
    "at_risk": "At risk",
    "not_yet_customer": "Not yet a customer",
    "frequency_decline": "Frequency decline",
    "monetary_decline": "Monetary decline",
    "none": "No driver",
}

SIGNAL_DESCRIPTIONS = {
    "recency": "days since the last purchase",
    "overdue": "time since the last purchase against the usual gap",
    "frequency_decline": "fewer orders than in the window before",
    "monetary_decline": "less net revenue than in the window before",
    "returns": "share of revenue returned",
}


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def label(code: Any) -> str:
    """A mart code as people read it: `at_risk` -> `At risk`, `vip` -> `VIP`."""
    if _missing(code):
        return "None"
    text = str(code)
    return _LABELS.get(text, text.replace("_", " ").capitalize())


def ordered(values: Iterable[Any], order: Sequence[str]) -> list[str]:
    """The distinct values in the given order first, then any others alphabetically."""
    present = {str(value) for value in values if value is not None}
    known = [value for value in order if value in present]
    return known + sorted(present - set(order))


def money(value: Any, decimals: int = 0) -> str:
    """`1234.5` -> `£1,235` (or `£1,234.50` with decimals=2); n/a for no value."""
    if _missing(value):
        return NO_VALUE
    amount = float(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}{CURRENCY}{abs(amount):,.{decimals}f}"


def money_auto(value: Any) -> str:
    """Money with pence below 100 (`£18.30`), without above (`£1,056`)."""
    if _missing(value):
        return NO_VALUE
    return money(value, 2 if abs(float(value)) < 100 else 0)


def money_short(value: Any) -> str:
    """Compact money for KPI tiles: `£1.23m`, `£45.6k`, `£812`, `£18.30`."""
    if _missing(value):
        return NO_VALUE
    amount = float(value)
    sign = "-" if amount < 0 else ""
    size = abs(amount)
    if size >= 1_000_000:
        return f"{sign}{CURRENCY}{size / 1_000_000:,.2f}m"
    if size >= 10_000:
        return f"{sign}{CURRENCY}{size / 1_000:,.1f}k"
    return f"{sign}{CURRENCY}{size:,.{2 if size < 100 else 0}f}"


def count(value: Any) -> str:
    """`12345` -> `12,345`."""
    if _missing(value):
        return NO_VALUE
    return f"{int(value):,}"


def share(value: Any, decimals: int = 1) -> str:
    """`0.2088` -> `20.9%`."""
    if _missing(value):
        return NO_VALUE
    return f"{float(value):.{decimals}%}"


def _layout(figure: go.Figure, height: int = 380, **extra: object) -> go.Figure:
    figure.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        **extra,
    )
    return figure


def stage_value_heatmap(grid: pd.DataFrame) -> go.Figure:
    """Customers per lifecycle stage x value segment; hover adds their net revenue."""
    stages = ordered(grid["lifecycle_stage"], STAGE_ORDER)
    values = ordered(grid["value_segment"], VALUE_ORDER)
    cells = grid.set_index(["lifecycle_stage", "value_segment"])
    customers = [[_cell(cells, stage, value, "customers") for value in values] for stage in stages]
    revenue = [[_cell(cells, stage, value, "net_revenue") for value in values] for stage in stages]
    text = [[count(cell) if cell else "" for cell in row] for row in customers]
    hover = [
        [
            f"{label(stage)} · {label(value)}<br>{count(customers[i][j])} customers"
            f"<br>{money(revenue[i][j])} net revenue"
            for j, value in enumerate(values)
        ]
        for i, stage in enumerate(stages)
    ]
    figure = go.Figure(
        go.Heatmap(
            z=customers,
            x=[label(value) for value in values],
            y=[label(stage) for stage in stages],
            text=text,
            texttemplate="%{text}",
            hovertext=hover,
            hoverinfo="text",
            colorscale="Blues",
            showscale=False,
        )
    )
    figure.update_yaxes(autorange="reversed", title="Lifecycle stage")
    figure.update_xaxes(side="top", title="Value segment")
    return _layout(figure, height=360)


def _cell(cells: pd.DataFrame, stage: str, value: str, column: str) -> float:
    if (stage, value) not in cells.index:
        return 0.0
    cell = cells.loc[(stage, value), column]
    return float(cell.sum() if isinstance(cell, pd.Series) else cell)


def risk_level_bars(levels: pd.DataFrame) -> go.Figure:
    """Customers per risk level, in level order, in the level colours."""
    order = ordered(levels["risk_level"], RISK_ORDER)
    rows = levels.set_index("risk_level").reindex(order)
    figure = go.Figure(
        go.Bar(
            x=[label(level) for level in order],
            y=rows["customers"],
            marker_color=[RISK_COLORS.get(level, NEUTRAL) for level in order],
            text=[count(value) for value in rows["customers"]],
            textposition="outside",
            cliponaxis=False,
            customdata=[money(value) for value in rows["net_revenue"]],
            hovertemplate="%{x}: %{y:,} customers<br>%{customdata} net revenue<extra></extra>",
        )
    )
    figure.update_yaxes(title="Customers")
    figure.update_xaxes(title="Risk level")
    return _layout(figure, height=360)


def rfm_treemap(segments: pd.DataFrame) -> go.Figure:
    """One tile per named RFM segment, sized by customers."""
    rows = segments.sort_values("customers", ascending=False)
    figure = go.Figure(
        go.Treemap(
            labels=rows["rfm_segment"],
            parents=[""] * len(rows),
            values=rows["customers"],
            customdata=[money(value) for value in rows["net_revenue"]],
            text=[_customers_text(value) for value in rows["customers"]],
            texttemplate="<b>%{label}</b><br>%{text}",
            hovertemplate="<b>%{label}</b><br>%{text}<br>%{customdata} net revenue<extra></extra>",
            marker={"colors": [RFM_COLORS.get(str(name), NEUTRAL) for name in rows["rfm_segment"]]},
            root={"color": "rgba(0,0,0,0)"},
            tiling={"pad": 2},
        )
    )
    return _layout(figure, height=420)


def _customers_text(value: Any) -> str:
    return f"{count(value)} customer{'' if value == 1 else 's'}"


def migration_sankey(moves: pd.DataFrame) -> go.Figure:
    """Customers flowing from their stage at one snapshot to their stage at the next."""
    sources = ordered(moves["from_stage"], MIGRATION_SOURCES + STAGE_ORDER)
    targets = ordered(moves["to_stage"], STAGE_ORDER)
    nodes = [f"{label(stage)} (before)" for stage in sources] + [
        f"{label(stage)} (after)" for stage in targets
    ]
    colors = [STAGE_COLORS.get(stage, NEUTRAL) for stage in sources + targets]
    links = moves[moves["customers"] > 0]
    figure = go.Figure(
        go.Sankey(
            arrangement="snap",
            node={"label": nodes, "color": colors, "pad": 14, "thickness": 16},
            link={
                "source": [sources.index(stage) for stage in links["from_stage"]],
                "target": [len(sources) + targets.index(stage) for stage in links["to_stage"]],
                "value": links["customers"],
                "color": [_fade(STAGE_COLORS.get(stage, NEUTRAL)) for stage in links["from_stage"]],
                "hovertemplate": "%{source.label} → %{target.label}: %{value:,} customers"
                "<extra></extra>",
            },
        )
    )
    return _layout(figure, height=440)


def _fade(hex_color: str, alpha: float = 0.45) -> str:
    red, green, blue = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"


def migration_matrix(moves: pd.DataFrame) -> go.Figure:
    """The same moves as a from-stage x to-stage grid of customers."""
    sources = ordered(moves["from_stage"], MIGRATION_SOURCES + STAGE_ORDER)
    targets = ordered(moves["to_stage"], STAGE_ORDER)
    grid = (
        moves.pivot_table(index="from_stage", columns="to_stage", values="customers", aggfunc="sum")
        .reindex(index=sources, columns=targets)
        .fillna(0)
    )
    figure = go.Figure(
        go.Heatmap(
            z=grid.to_numpy(),
            x=[label(stage) for stage in targets],
            y=[label(stage) for stage in sources],
            text=[[count(cell) if cell else "" for cell in row] for row in grid.to_numpy()],
            texttemplate="%{text}",
            hovertemplate="%{y} → %{x}: %{z:,} customers<extra></extra>",
            colorscale="Blues",
            showscale=False,
        )
    )
    figure.update_yaxes(autorange="reversed", title="Stage before")
    figure.update_xaxes(side="top", title="Stage after")
    return _layout(figure, height=400)


def cohort_heatmap(cohorts: pd.DataFrame) -> go.Figure:
    """Share of each acquisition cohort buying in each later month."""
    grid = cohorts.pivot_table(
        index="acquisition_month",
        columns="months_since_acquisition",
        values="active_share",
        aggfunc="sum",
    ).sort_index()
    sizes = cohorts.groupby("acquisition_month")["cohort_customers"].max().reindex(grid.index)
    months = [pd.Timestamp(month).strftime("%Y-%m") for month in grid.index]
    y_labels = [f"{month} ({count(size)})" for month, size in zip(months, sizes, strict=True)]
    values = grid.to_numpy()
    # Month 0 is always 100%; scale the colours to the later months so they can be told apart.
    later = cohorts.loc[cohorts["months_since_acquisition"] > 0, "active_share"]
    top = float(later.max()) if len(later) and later.max() > 0 else 1.0
    figure = go.Figure(
        go.Heatmap(
            z=values,
            x=[str(column) for column in grid.columns],
            y=y_labels,
            text=[["" if math.isnan(cell) else f"{cell:.0%}" for cell in row] for row in values],
            texttemplate="%{text}",
            textfont={"size": 9},
            hovertemplate="Cohort %{y}<br>month %{x}: %{z:.1%} bought<extra></extra>",
            colorscale="Blues",
            zmin=0,
            zmax=top,
            colorbar={"title": "Share", "tickformat": ".0%"},
        )
    )
    figure.update_yaxes(autorange="reversed", title="First purchase month (customers)")
    figure.update_xaxes(title="Months since first purchase", side="top", type="category")
    return _layout(figure, height=max(380, 22 * len(y_labels) + 80))


def risk_histogram(bins: pd.DataFrame, bin_width: float) -> go.Figure:
    """Customers per risk-score bin, stacked by risk level."""
    figure = go.Figure()
    for level in ordered(bins["risk_level"], RISK_ORDER):
        rows = bins[bins["risk_level"] == level]
        figure.add_trace(
            go.Bar(
                name=label(level),
                x=rows["bin_start"] + bin_width / 2,
                y=rows["customers"],
                width=bin_width * 0.95,
                marker_color=RISK_COLORS.get(level, NEUTRAL),
                customdata=list(zip(rows["bin_start"], rows["bin_start"] + bin_width, strict=True)),
                hovertemplate=f"{label(level)}: %{{y:,}} customers with a score from "
                "%{customdata[0]:.0f} to %{customdata[1]:.0f}<extra></extra>",
            )
        )
    figure.update_layout(barmode="stack", bargap=0, legend_traceorder="normal")
    figure.update_xaxes(title="Risk score (0 = no concern, 100 = every signal at full)")
    figure.update_xaxes(range=[0, 100])
    figure.update_yaxes(title="Customers")
    return _layout(figure)


def driver_bars(drivers: pd.DataFrame) -> go.Figure:
    """Customers by the signal that contributes most to their risk score."""
    order = ordered(drivers["driver"], (*SIGNAL_ORDER, "none"))
    rows = drivers.set_index("driver").reindex(order)
    figure = go.Figure(
        go.Bar(
            y=[label(driver) for driver in order],
            x=rows["customers"],
            orientation="h",
            marker_color=[SIGNAL_COLORS.get(driver, NEUTRAL) for driver in order],
            text=[count(value) for value in rows["customers"]],
            textposition="auto",
            hovertemplate="%{y}: %{x:,} customers<extra></extra>",
        )
    )
    figure.update_yaxes(autorange="reversed", title="Top risk driver")
    figure.update_xaxes(title="Customers")
    return _layout(figure, height=340)


def signal_points_by_level(points: pd.DataFrame) -> go.Figure:
    """Average points each signal adds to the score, per risk level (bars add up to the score)."""
    levels = ordered(points["risk_level"], RISK_ORDER)
    rows = points.set_index("risk_level").reindex(levels)
    figure = go.Figure()
    for signal in SIGNAL_ORDER:
        column = f"{signal}_points"
        figure.add_trace(
            go.Bar(
                name=label(signal),
                x=[label(level) for level in levels],
                y=rows[column],
                marker_color=SIGNAL_COLORS[signal],
                hovertemplate=f"{label(signal)}: %{{y:.1f}} points on average<extra></extra>",
            )
        )
    figure.update_layout(barmode="stack", legend_traceorder="normal")
    figure.update_yaxes(title="Average points of the risk score")
    figure.update_xaxes(title="Risk level")
    return _layout(figure, height=340)


def backtest_bars(pooled: pd.DataFrame, order: Sequence[str], colors: dict[str, str]) -> go.Figure:
    """Share of customers who bought again within the horizon, per segment, pooled."""
    segments = ordered(pooled["segment"], order)
    rows = pooled.set_index("segment").reindex(segments)
    figure = go.Figure(
        go.Bar(
            x=[label(segment) for segment in segments],
            y=rows["repurchase_share"],
            marker_color=[colors.get(segment, NEUTRAL) for segment in segments],
            text=[share(value) for value in rows["repurchase_share"]],
            textposition="auto",
            customdata=list(
                zip(
                    [count(value) for value in rows["customers"]],
                    [count(value) for value in rows["repurchasing_customers"]],
                    [money(value, 2) for value in rows["net_revenue_per_customer"]],
                    strict=True,
                )
            ),
            hovertemplate="%{x}: %{customdata[1]} of %{customdata[0]} customer-snapshots "
            "bought again (%{y:.1%})<br>%{customdata[2]} net revenue per customer"
            "<extra></extra>",
        )
    )
    figure.update_yaxes(
        title="Bought again within the horizon", tickformat=".0%", rangemode="tozero"
    )
    return _layout(figure, height=340)


def backtest_lines(
    per_snapshot: pd.DataFrame, order: Sequence[str], colors: dict[str, str]
) -> go.Figure:
    """The same share per snapshot, one line per segment."""
    figure = go.Figure()
    for segment in ordered(per_snapshot["segment"], order):
        rows = per_snapshot[per_snapshot["segment"] == segment].sort_values("snapshot_date")
        figure.add_trace(
            go.Scatter(
                name=label(segment),
                x=rows["snapshot_date"],
                y=rows["repurchase_share"],
                mode="lines+markers",
                line={"color": colors.get(segment, NEUTRAL)},
                customdata=rows["customers"],
                hovertemplate=f"{label(segment)} · %{{x|%Y-%m-%d}}: %{{y:.1%}} of "
                "%{customdata:,} bought again<extra></extra>",
            )
        )
    figure.update_yaxes(title="Bought again", tickformat=".0%", rangemode="tozero")
    figure.update_xaxes(title="Snapshot scored")
    return _layout(figure, height=340)


def cost_benefit(plan: pd.DataFrame) -> go.Figure:
    """Total cost beside total expected benefit per action (log scale: they differ a lot)."""
    rows = plan.sort_values("total_expected_benefit", ascending=True)
    names = list(rows["action_name"])
    figure = go.Figure()
    for column, name, color in (
        ("total_cost", "Cost", COST),
        ("total_expected_benefit", "Expected benefit", BENEFIT),
    ):
        figure.add_trace(
            go.Bar(
                name=name,
                y=names,
                x=rows[column],
                orientation="h",
                marker_color=color,
                text=[money_auto(value) for value in rows[column]],
                textposition="outside",
                cliponaxis=False,
                customdata=[count(value) for value in rows["customers"]],
                hovertemplate=f"<b>%{{y}}</b><br>{name}: %{{text}} for %{{customdata}} "
                "customers<extra></extra>",
            )
        )
    figure.update_layout(barmode="group", bargap=0.25, legend_traceorder="reversed")
    amounts = pd.concat([rows["total_cost"], rows["total_expected_benefit"]])
    amounts = amounts[amounts > 0]
    # Room on the right for the amounts written after the bars.
    span = (
        [math.log10(amounts.min()) - 0.3, math.log10(amounts.max()) + 0.6] if len(amounts) else None
    )
    figure.update_xaxes(type="log", title=f"{CURRENCY} (log scale)", range=span)
    return _layout(figure, height=max(300, 56 * len(rows) + 100))


def roi_band(plan: pd.DataFrame) -> go.Figure:
    """ROI per action at the expected uplift, with the low-to-high uplift band."""
    rows = plan.dropna(subset=["roi"]).sort_values("roi")
    figure = go.Figure(
        go.Scatter(
            x=rows["roi"],
            y=rows["action_name"],
            mode="markers",
            marker={"size": 12, "color": ACCENT},
            error_x={
                "type": "data",
                "symmetric": False,
                "array": rows["roi_high"] - rows["roi"],
                "arrayminus": rows["roi"] - rows["roi_low"],
                "color": NEUTRAL,
                "thickness": 2,
                "width": 6,
            },
            customdata=list(zip(rows["roi_low"], rows["roi_high"], strict=True)),
            hovertemplate="<b>%{y}</b><br>ROI %{x:.1f} (from %{customdata[0]:.1f} to "
            "%{customdata[1]:.1f})<extra></extra>",
        )
    )
    figure.add_vline(x=0, line_dash="dot", line_color=COST)
    figure.update_xaxes(title="ROI (net benefit per unit of cost)")
    return _layout(figure, height=max(260, 48 * len(rows) + 80), showlegend=False)


def budget_bar(budget: float, cost_in_budget: float, total_cost: float) -> go.Figure:
    """The campaign budget against the cost of the plan within it and of every action."""
    names = ["Campaign budget", "Cost within budget", "Cost of every action"]
    amounts = [budget, cost_in_budget, total_cost]
    figure = go.Figure(
        go.Bar(
            x=amounts,
            y=names,
            orientation="h",
            marker_color=[NEUTRAL, ACCENT, COST],
            text=[money_auto(amount) for amount in amounts],
            textposition="auto",
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    figure.update_yaxes(autorange="reversed")
    figure.update_xaxes(title=f"{CURRENCY}")
    return _layout(figure, height=220, showlegend=False)


def risk_contributions(points: pd.Series, signals: pd.Series | None = None) -> go.Figure:
    """One customer's risk score split into the points of each signal."""
    names = list(SIGNAL_ORDER)
    values = [float(points.get(f"{signal}_points", 0) or 0) for signal in names]
    hover = [
        f"{label(signal)}: {value:.2f} points<br>{SIGNAL_DESCRIPTIONS[signal]}"
        + (
            f"<br>signal {float(signals.get(f'{signal}_signal') or 0):.2f} of 1"
            if signals is not None
            else ""
        )
        for signal, value in zip(names, values, strict=True)
    ]
    figure = go.Figure(
        go.Bar(
            x=values,
            y=[label(signal) for signal in names],
            orientation="h",
            marker_color=[SIGNAL_COLORS[signal] for signal in names],
            text=[f"{value:.2f}" for value in values],
            textposition="auto",
            hovertext=hover,
            hoverinfo="text",
        )
    )
    figure.update_yaxes(autorange="reversed")
    figure.update_xaxes(title="Points of the risk score", rangemode="tozero")
    return _layout(figure, height=280, showlegend=False)


def customer_timeline(history: pd.DataFrame, highlight: dt.date | None = None) -> go.Figure:
    """Net revenue to date and days since the last purchase at each snapshot of the build."""
    rows = history.sort_values("as_of_date")
    figure = make_subplots(
        rows=2,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.08,
        subplot_titles=("Net revenue to date", "Days since the last purchase"),
    )
    stages = [str(stage) for stage in rows["lifecycle_stage"]]
    figure.add_trace(
        go.Scatter(
            x=rows["as_of_date"],
            y=rows["net_revenue"],
            mode="lines+markers",
            line={"color": NEUTRAL},
            marker={"size": 10, "color": [STAGE_COLORS.get(stage, NEUTRAL) for stage in stages]},
            customdata=list(
                zip(
                    [label(stage) for stage in stages],
                    [label(level) for level in rows["risk_level"]],
                    [money(value, 2) for value in rows["net_revenue"]],
                    strict=True,
                )
            ),
            hovertemplate="%{x|%Y-%m-%d}: %{customdata[2]}<br>stage %{customdata[0]}, "
            "risk %{customdata[1]}<extra></extra>",
            name="Net revenue",
            showlegend=False,
        ),
        row=1,
        col=1,
    )
    figure.add_trace(
        go.Scatter(
            x=rows["as_of_date"],
            y=rows["recency_days"],
            mode="lines+markers",
            line={"color": ACCENT},
            hovertemplate="%{x|%Y-%m-%d}: %{y:,} days<extra></extra>",
            name="Recency",
            showlegend=False,
        ),
        row=2,
        col=1,
    )
    for stage in ordered(stages, STAGE_ORDER):
        figure.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                marker={"size": 10, "color": STAGE_COLORS.get(stage, NEUTRAL)},
                name=label(stage),
                showlegend=True,
            ),
            row=1,
            col=1,
        )
    if highlight is not None:
        moment = pd.Timestamp(highlight).to_pydatetime()
        figure.add_vline(x=moment, line_dash="dot", line_color=COST)
    figure.update_yaxes(tickprefix=CURRENCY, row=1, col=1)
    _layout(figure, height=480)
    figure.update_layout(
        legend={"orientation": "h", "yanchor": "top", "y": -0.08, "x": 0, "title": "Stage: "},
        margin={"t": 40, "b": 40},
    )
    return figure


def quality_bars(counts: pd.DataFrame, color: str) -> go.Figure:
    """Lines per reason or per transaction type, largest first."""
    rows = counts.sort_values("lines", ascending=True)
    figure = go.Figure(
        go.Bar(
            x=rows["lines"],
            y=[label(name) for name in rows["name"]],
            orientation="h",
            marker_color=color,
            text=[count(value) for value in rows["lines"]],
            textposition="auto",
            hovertemplate="%{y}: %{x:,} lines<extra></extra>",
        )
    )
    figure.update_xaxes(title="Lines")
    return _layout(figure, height=max(220, 34 * len(rows) + 80), showlegend=False)
