"""Plotly figure builders and number formats for the dashboard: presentation only.

Every function takes rows a mart already holds (or sums of them) and draws them. The labels,
orders and colours of codes come from marts.display_labels (a `Labels`), so that a stage,
value segment or risk level looks the same on every page and is renamed in its seed alone.
Nothing here decides anything about a customer.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from customer_lifecycle.dashboard.labels import NEUTRAL, NO_VALUE, Labels, missing

# Theme colours of things that are no code of a label set.
ACCENT = "#3C6FB6"
BENEFIT = "#2E9E5B"
COST = "#E8743B"

# Compact units for KPI tiles, smallest first: a tile shows at most three significant digits
# and a unit, so it fits at any size; its tooltip holds the exact figure.
UNITS = ((1e3, "k"), (1e6, "m"), (1e9, "bn"), (1e12, "tn"))


def money(value: Any, currency: str, decimals: int = 0) -> str:
    """`1234.5` -> `£1,235` (or `£1,234.50` with decimals=2); n/a for no value."""
    if missing(value):
        return NO_VALUE
    amount = float(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}{currency}{abs(amount):,.{decimals}f}"


def money_auto(value: Any, currency: str) -> str:
    """Money with pence below 100 (`£18.30`), without above (`£1,056`)."""
    if missing(value):
        return NO_VALUE
    return money(value, currency, 2 if abs(float(value)) < 100 else 0)


def _significant(size: float) -> str:
    """A non-negative number with three significant digits below 1,000: 1.23, 12.3, 123.

    The decimals are chosen after rounding, so 9.996 is `10.0`, not `10.00`.
    """
    for decimals in (2, 1):
        if size < 10 ** (3 - decimals) - 0.5 * 10**-decimals:
            return f"{size:.{decimals}f}"
    return f"{size:,.0f}"


def compact(value: Any, *, prefix: str = "", pence: bool = False) -> str:
    """A number in at most three significant digits and a unit: 999, 1.00k, 45.6m, 1.00bn.

    Below 1,000 the number is whole (with `pence`, two decimals below 100, as money). The
    rounding decides the unit, so 999,999 is `1.00m`, never `1000k`. `prefix` (a currency
    symbol) goes after the sign: `-£1.50k`. No value is n/a.
    """
    if missing(value):
        return NO_VALUE
    amount = float(value)
    size = abs(amount)
    text = f"{size:,.2f}" if pence and round(size, 2) < 100 else f"{size:,.0f}"
    if round(size) >= 1000:
        for scale, unit in UNITS:
            text = _significant(size / scale) + unit
            if size / scale < 999.5:
                break
    sign = "-" if amount < 0 and any(digit in "123456789" for digit in text) else ""
    return f"{sign}{prefix}{text}"


def compact_money(value: Any, currency: str) -> str:
    """Money for a KPI tile: `£18.30`, `£812`, `£45.6k`, `£1.23m`, `£5.01bn`."""
    return compact(value, prefix=currency, pence=True)


def count(value: Any) -> str:
    """`12345` -> `12,345`."""
    if missing(value):
        return NO_VALUE
    return f"{int(value):,}"


def share(value: Any, decimals: int = 1) -> str:
    """`0.2088` -> `20.9%`."""
    if missing(value):
        return NO_VALUE
    return f"{float(value):.{decimals}%}"


def ratio(numerator: Any, denominator: Any) -> float | None:
    """numerator / denominator, or None when either is missing or the denominator is 0."""
    if missing(numerator) or missing(denominator) or float(denominator) == 0:
        return None
    return float(numerator) / float(denominator)


def _layout(figure: go.Figure, height: int = 380, **extra: object) -> go.Figure:
    figure.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        **extra,
    )
    return figure


def stage_value_heatmap(grid: pd.DataFrame, labels: Labels) -> go.Figure:
    """Customers per lifecycle stage x value segment; hover adds their net revenue."""
    stages = labels.ordered("lifecycle_stage", grid["lifecycle_stage"])
    values = labels.ordered("value_segment", grid["value_segment"])
    stage_label = [labels.label("lifecycle_stage", stage) for stage in stages]
    value_label = [labels.label("value_segment", value) for value in values]
    cells = grid.set_index(["lifecycle_stage", "value_segment"])
    customers = [[_cell(cells, stage, value, "customers") for value in values] for stage in stages]
    revenue = [[_cell(cells, stage, value, "net_revenue") for value in values] for stage in stages]
    text = [[count(cell) if cell else "" for cell in row] for row in customers]
    hover = [
        [
            f"{stage_label[i]} · {value_label[j]}<br>{count(customers[i][j])} customers"
            f"<br>{money(revenue[i][j], labels.currency)} net revenue"
            for j in range(len(values))
        ]
        for i in range(len(stages))
    ]
    figure = go.Figure(
        go.Heatmap(
            z=customers,
            x=value_label,
            y=stage_label,
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


def risk_level_bars(levels: pd.DataFrame, labels: Labels) -> go.Figure:
    """Customers per risk level, in level order, in the level colours."""
    order = labels.ordered("risk_level", levels["risk_level"])
    rows = levels.set_index("risk_level").reindex(order)
    figure = go.Figure(
        go.Bar(
            x=[labels.label("risk_level", level) for level in order],
            y=rows["customers"],
            marker_color=[labels.colour("risk_level", level) for level in order],
            text=[count(value) for value in rows["customers"]],
            textposition="outside",
            cliponaxis=False,
            customdata=[money(value, labels.currency) for value in rows["net_revenue"]],
            hovertemplate="%{x}: %{y:,} customers<br>%{customdata} net revenue<extra></extra>",
        )
    )
    figure.update_yaxes(title="Customers")
    figure.update_xaxes(title="Risk level")
    return _layout(figure, height=360)


def rfm_treemap(segments: pd.DataFrame, labels: Labels) -> go.Figure:
    """One tile per named RFM segment, sized by customers."""
    rows = segments.sort_values("customers", ascending=False)
    figure = go.Figure(
        go.Treemap(
            labels=[labels.label("rfm_segment", code) for code in rows["rfm_segment"]],
            parents=[""] * len(rows),
            values=rows["customers"],
            customdata=[money(value, labels.currency) for value in rows["net_revenue"]],
            text=[_customers_text(value) for value in rows["customers"]],
            texttemplate="<b>%{label}</b><br>%{text}",
            hovertemplate="<b>%{label}</b><br>%{text}<br>%{customdata} net revenue<extra></extra>",
            marker={"colors": [labels.colour("rfm_segment", code) for code in rows["rfm_segment"]]},
            root={"color": "rgba(0,0,0,0)"},
            tiling={"pad": 2},
        )
    )
    return _layout(figure, height=420)


def _customers_text(value: Any) -> str:
    return f"{count(value)} customer{'' if value == 1 else 's'}"


def migration_sankey(moves: pd.DataFrame, labels: Labels) -> go.Figure:
    """Customers flowing from their stage at one snapshot to their stage at the next."""
    sources = labels.ordered("lifecycle_stage", moves["from_stage"])
    targets = labels.ordered("lifecycle_stage", moves["to_stage"])
    nodes = [f"{labels.label('lifecycle_stage', stage)} (before)" for stage in sources] + [
        f"{labels.label('lifecycle_stage', stage)} (after)" for stage in targets
    ]
    colors = [labels.colour("lifecycle_stage", stage) for stage in sources + targets]
    links = moves[moves["customers"] > 0]
    figure = go.Figure(
        go.Sankey(
            arrangement="snap",
            node={"label": nodes, "color": colors, "pad": 14, "thickness": 16},
            link={
                "source": [sources.index(stage) for stage in links["from_stage"]],
                "target": [len(sources) + targets.index(stage) for stage in links["to_stage"]],
                "value": links["customers"],
                "color": [
                    _fade(labels.colour("lifecycle_stage", stage)) for stage in links["from_stage"]
                ],
                "hovertemplate": "%{source.label} → %{target.label}: %{value:,} customers"
                "<extra></extra>",
            },
        )
    )
    return _layout(figure, height=440)


def _fade(hex_color: str, alpha: float = 0.45) -> str:
    red, green, blue = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"


def migration_matrix(moves: pd.DataFrame, labels: Labels) -> go.Figure:
    """The same moves as a from-stage x to-stage grid of customers (one mart row a cell)."""
    sources = labels.ordered("lifecycle_stage", moves["from_stage"])
    targets = labels.ordered("lifecycle_stage", moves["to_stage"])
    grid = (
        moves.pivot(index="from_stage", columns="to_stage", values="customers")
        .reindex(index=sources, columns=targets)
        .fillna(0)
    )
    figure = go.Figure(
        go.Heatmap(
            z=grid.to_numpy(),
            x=[labels.label("lifecycle_stage", stage) for stage in targets],
            y=[labels.label("lifecycle_stage", stage) for stage in sources],
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
    grid = cohorts.pivot(
        index="acquisition_month", columns="months_since_acquisition", values="active_share"
    ).sort_index()
    # cohort_customers is the cohort's size on each of its rows: look it up, once a cohort.
    sizes = (
        cohorts.drop_duplicates("acquisition_month")
        .set_index("acquisition_month")["cohort_customers"]
        .reindex(grid.index)
    )
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


def risk_histogram(bins: pd.DataFrame, labels: Labels) -> go.Figure:
    """Customers per risk-score bin [risk_score_bin_start, risk_score_bin_end), by risk level."""
    figure = go.Figure()
    for level in labels.ordered("risk_level", bins["risk_level"]):
        rows = bins[bins["risk_level"] == level]
        starts = rows["risk_score_bin_start"].astype(float)
        ends = rows["risk_score_bin_end"].astype(float)
        name = labels.label("risk_level", level)
        figure.add_trace(
            go.Bar(
                name=name,
                x=(starts + ends) / 2,
                y=rows["customers"],
                width=(ends - starts) * 0.95,
                marker_color=labels.colour("risk_level", level),
                customdata=list(zip(starts, ends, strict=True)),
                hovertemplate=f"{name}: %{{y:,}} customers with a score from "
                "%{customdata[0]:.0f} to %{customdata[1]:.0f}<extra></extra>",
            )
        )
    figure.update_layout(barmode="stack", bargap=0, legend_traceorder="normal")
    figure.update_xaxes(title="Risk score (0 = no concern, 100 = every signal at full)")
    figure.update_xaxes(range=[0, 100])
    figure.update_yaxes(title="Customers")
    return _layout(figure)


def driver_bars(drivers: pd.DataFrame, labels: Labels) -> go.Figure:
    """Customers by the signal that contributes most to their risk score."""
    order = labels.ordered("risk_signal", drivers["top_risk_driver"])
    rows = drivers.set_index("top_risk_driver").reindex(order)
    figure = go.Figure(
        go.Bar(
            y=[labels.label("risk_signal", driver) for driver in order],
            x=rows["customers"],
            orientation="h",
            marker_color=[labels.colour("risk_signal", driver) for driver in order],
            text=[count(value) for value in rows["customers"]],
            textposition="auto",
            hovertemplate="%{y}: %{x:,} customers<extra></extra>",
        )
    )
    figure.update_yaxes(autorange="reversed", title="Top risk driver")
    figure.update_xaxes(title="Customers")
    return _layout(figure, height=340)


def signals_in(columns: Iterable[str], labels: Labels, suffix: str) -> list[str]:
    """The risk signals, in display order, that have a `<signal><suffix>` column."""
    present = set(columns)
    return [signal for signal in labels.order("risk_signal") if f"{signal}{suffix}" in present]


def signal_points_by_level(points: pd.DataFrame, labels: Labels) -> go.Figure:
    """Average points each signal adds to the score, per risk level (bars add up to the score).

    `points` has a risk_level column and one `<signal>_points` column of averages per signal.
    """
    levels = labels.ordered("risk_level", points["risk_level"])
    rows = points.set_index("risk_level").reindex(levels)
    figure = go.Figure()
    for signal in signals_in(points.columns, labels, "_points"):
        name = labels.label("risk_signal", signal)
        figure.add_trace(
            go.Bar(
                name=name,
                x=[labels.label("risk_level", level) for level in levels],
                y=rows[f"{signal}_points"],
                marker_color=labels.colour("risk_signal", signal),
                hovertemplate=f"{name}: %{{y:.1f}} points on average<extra></extra>",
            )
        )
    figure.update_layout(barmode="stack", legend_traceorder="normal")
    figure.update_yaxes(title="Average points of the risk score")
    figure.update_xaxes(title="Risk level")
    return _layout(figure, height=340)


def backtest_bars(pooled: pd.DataFrame, label_set: str, labels: Labels) -> go.Figure:
    """Share of customers who bought again within the horizon, per segment, pooled."""
    segments = labels.ordered(label_set, pooled["segment"])
    rows = pooled.set_index("segment").reindex(segments)
    figure = go.Figure(
        go.Bar(
            x=[labels.label(label_set, segment) for segment in segments],
            y=rows["repurchase_share"],
            marker_color=[labels.colour(label_set, segment) for segment in segments],
            text=[share(value) for value in rows["repurchase_share"]],
            textposition="auto",
            customdata=list(
                zip(
                    [count(value) for value in rows["customers"]],
                    [count(value) for value in rows["repurchasing_customers"]],
                    [
                        money(value, labels.currency, 2)
                        for value in rows["net_revenue_per_customer"]
                    ],
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


def backtest_lines(per_snapshot: pd.DataFrame, label_set: str, labels: Labels) -> go.Figure:
    """The same share per snapshot, one line per segment."""
    figure = go.Figure()
    for segment in labels.ordered(label_set, per_snapshot["segment"]):
        rows = per_snapshot[per_snapshot["segment"] == segment].sort_values("snapshot_date")
        name = labels.label(label_set, segment)
        figure.add_trace(
            go.Scatter(
                name=name,
                x=rows["snapshot_date"],
                y=rows["repurchase_share"],
                mode="lines+markers",
                line={"color": labels.colour(label_set, segment)},
                customdata=rows["customers"],
                hovertemplate=f"{name} · %{{x|%Y-%m-%d}}: %{{y:.1%}} of "
                "%{customdata:,} bought again<extra></extra>",
            )
        )
    figure.update_yaxes(title="Bought again", tickformat=".0%", rangemode="tozero")
    figure.update_xaxes(title="Snapshot scored")
    return _layout(figure, height=340)


def cost_benefit(plan: pd.DataFrame, labels: Labels) -> go.Figure:
    """Total cost beside total expected benefit per action (log scale: they differ a lot)."""
    rows = plan.sort_values("expected_benefit", ascending=True)
    names = [labels.label("action", code) for code in rows["action_code"]]
    figure = go.Figure()
    for column, name, color in (
        ("action_cost", "Cost", COST),
        ("expected_benefit", "Expected margin", BENEFIT),
    ):
        figure.add_trace(
            go.Bar(
                name=name,
                y=names,
                x=rows[column],
                orientation="h",
                marker_color=color,
                text=[money_auto(value, labels.currency) for value in rows[column]],
                textposition="outside",
                cliponaxis=False,
                customdata=[count(value) for value in rows["customers"]],
                hovertemplate=f"<b>%{{y}}</b><br>{name}: %{{text}} for %{{customdata}} "
                "customers<extra></extra>",
            )
        )
    figure.update_layout(barmode="group", bargap=0.25, legend_traceorder="reversed")
    amounts = pd.concat([rows["action_cost"], rows["expected_benefit"]]).astype(float)
    amounts = amounts[amounts > 0]
    # Room on the right for the amounts written after the bars.
    span = (
        [math.log10(amounts.min()) - 0.3, math.log10(amounts.max()) + 0.6] if len(amounts) else None
    )
    figure.update_xaxes(type="log", title=f"{labels.currency} (log scale)", range=span)
    return _layout(figure, height=max(300, 56 * len(rows) + 100))


def roi_band(plan: pd.DataFrame, labels: Labels) -> go.Figure:
    """ROI per action at the expected uplift, with the low-to-high uplift band."""
    rows = plan.dropna(subset=["roi"]).sort_values("roi")
    roi, low, high = (rows[column].astype(float) for column in ("roi", "roi_low", "roi_high"))
    figure = go.Figure(
        go.Scatter(
            x=roi,
            y=[labels.label("action", code) for code in rows["action_code"]],
            mode="markers",
            marker={"size": 12, "color": ACCENT},
            error_x={
                "type": "data",
                "symmetric": False,
                "array": high - roi,
                "arrayminus": roi - low,
                "color": NEUTRAL,
                "thickness": 2,
                "width": 6,
            },
            customdata=list(zip(low, high, strict=True)),
            hovertemplate="<b>%{y}</b><br>ROI %{x:.1f} (from %{customdata[0]:.1f} to "
            "%{customdata[1]:.1f})<extra></extra>",
        )
    )
    figure.add_vline(x=0, line_dash="dot", line_color=COST)
    figure.update_xaxes(title="ROI (net benefit per unit of cost)")
    return _layout(figure, height=max(260, 48 * len(rows) + 80), showlegend=False)


def budget_bar(budget: float, cost_in_budget: float, total_cost: float, currency: str) -> go.Figure:
    """The campaign budget against the cost of the plan within it and of every action."""
    names = ["Campaign budget", "Cost within budget", "Cost of every action"]
    amounts = [budget, cost_in_budget, total_cost]
    figure = go.Figure(
        go.Bar(
            x=amounts,
            y=names,
            orientation="h",
            marker_color=[NEUTRAL, ACCENT, COST],
            text=[money_auto(amount, currency) for amount in amounts],
            textposition="auto",
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    figure.update_yaxes(autorange="reversed")
    figure.update_xaxes(title=currency)
    return _layout(figure, height=220, showlegend=False)


def risk_contributions(risk: pd.Series, labels: Labels) -> go.Figure:
    """One customer's risk score split into the points of each signal (a customer_risk row)."""
    names = signals_in(risk.index, labels, "_points")
    values = [float(risk.get(f"{signal}_points") or 0) for signal in names]
    hover = [
        f"{labels.label('risk_signal', signal)}: {value:.2f} points<br>"
        f"{labels.description('risk_signal', signal)}"
        + (
            f"<br>signal {float(risk.get(f'{signal}_signal') or 0):.2f} of 1"
            if f"{signal}_signal" in risk.index
            else ""
        )
        for signal, value in zip(names, values, strict=True)
    ]
    figure = go.Figure(
        go.Bar(
            x=values,
            y=[labels.label("risk_signal", signal) for signal in names],
            orientation="h",
            marker_color=[labels.colour("risk_signal", signal) for signal in names],
            text=[f"{value:.2f}" for value in values],
            textposition="auto",
            hovertext=hover,
            hoverinfo="text",
        )
    )
    figure.update_yaxes(autorange="reversed")
    figure.update_xaxes(title="Points of the risk score", rangemode="tozero")
    return _layout(figure, height=280, showlegend=False)


def customer_timeline(
    history: pd.DataFrame, labels: Labels, highlight: dt.date | None = None
) -> go.Figure:
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
            marker={
                "size": 10,
                "color": [labels.colour("lifecycle_stage", stage) for stage in stages],
            },
            customdata=list(
                zip(
                    [labels.label("lifecycle_stage", stage) for stage in stages],
                    [labels.label("risk_level", level) for level in rows["risk_level"]],
                    [money(value, labels.currency, 2) for value in rows["net_revenue"]],
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
            name="Days since the last purchase",
            showlegend=False,
        ),
        row=2,
        col=1,
    )
    for stage in labels.ordered("lifecycle_stage", stages):
        figure.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                marker={"size": 10, "color": labels.colour("lifecycle_stage", stage)},
                name=labels.label("lifecycle_stage", stage),
                showlegend=True,
            ),
            row=1,
            col=1,
        )
    if highlight is not None:
        moment = pd.Timestamp(highlight).to_pydatetime()
        figure.add_vline(x=moment, line_dash="dot", line_color=COST)
    figure.update_yaxes(tickprefix=labels.currency, row=1, col=1)
    _layout(figure, height=480)
    figure.update_layout(
        legend={"orientation": "h", "yanchor": "top", "y": -0.08, "x": 0, "title": "Stage: "},
        margin={"t": 40, "b": 40},
    )
    return figure


def quality_bars(
    counts: pd.DataFrame, color: str, labels: Labels, label_set: str | None = None
) -> go.Figure:
    """Lines per reason or per transaction type, largest first (labels of `label_set`)."""
    rows = counts.sort_values("lines", ascending=True)
    figure = go.Figure(
        go.Bar(
            x=rows["lines"],
            y=[labels.label(label_set or "", name) for name in rows["name"]],
            orientation="h",
            marker_color=color,
            text=[count(value) for value in rows["lines"]],
            textposition="auto",
            hovertemplate="%{y}: %{x:,} lines<extra></extra>",
        )
    )
    figure.update_xaxes(title="Lines")
    return _layout(figure, height=max(220, 34 * len(rows) + 80), showlegend=False)
