{#-
    The model's contract constraints as a test: not_null, unique (of a
    column or of the model's columns together) and check, the one-column
    and the model-wide ones, read from the model's YAML so that they are
    written once. DuckDB enforces them when it creates the table, so the
    test is disabled there and a DuckDB build pays no node for it; Spark
    (Parquet tables) only records them, so there this test is what stops a
    violation. One scan of the table
    (and one per unique set of columns): returns one row, with a count per
    constraint, when any fails, and none when all hold. A check passes
    where its expression is true or null, as in SQL.
-#}
{% test constraints_hold(model) %}

{{ config(enabled=target.type != 'duckdb') }}

{%- set checks = [] %}
{%- set unique_sets = [] %}
{%- if execute %}
    {%- set nodes = graph.nodes.values()
        | selectattr('resource_type', 'equalto', 'model')
        | selectattr('alias', 'equalto', model.identifier)
        | selectattr('schema', 'equalto', model.schema)
        | list %}
    {%- if nodes | length != 1 %}
        {{ exceptions.raise_compiler_error(
            'constraints_hold: no single model is built as ' ~ model
        ) }}
    {%- endif %}
    {%- set node = nodes[0] %}
    {%- for column in node.columns.values() %}
        {%- for constraint in column.constraints %}
            {%- if constraint.type == 'not_null' %}
                {%- do checks.append((
                    column.name ~ '_is_null',
                    column.name ~ ' is null'
                )) %}
            {%- elif constraint.type == 'unique' %}
                {%- do checks.append((
                    column.name ~ '_repeats',
                    none,
                    'count(' ~ column.name ~ ') - count(distinct ' ~ column.name ~ ')'
                )) %}
            {%- elif constraint.type == 'check' %}
                {%- do checks.append((
                    (constraint.name or column.name ~ '_check') ~ '_fails',
                    'not (' ~ constraint.expression | trim ~ ')'
                )) %}
            {%- endif %}
        {%- endfor %}
    {%- endfor %}
    {%- for constraint in node.constraints %}
        {%- if constraint.type == 'check' %}
            {%- do checks.append((
                (constraint.name or 'check_' ~ loop.index) ~ '_fails',
                'not (' ~ constraint.expression | trim ~ ')'
            )) %}
        {%- elif constraint.type in ('unique', 'primary_key') %}
            {%- do unique_sets.append(constraint.columns) %}
        {%- endif %}
    {%- endfor %}
{%- endif %}

with

row_counts as (

    select
        count(*) as table_rows
    {%- for check in checks %},
        {%- if check[1] is none %}
        {{ check[2] }} as {{ check[0] }}
        {%- else %}
        sum(case when {{ check[1] }} then 1 else 0 end) as {{ check[0] }}
        {%- endif %}
    {%- endfor %}
    from {{ model }}

),

{%- for columns in unique_sets %}

{{ columns | join('_') }}_repeats as (

    select count(*) as {{ columns | join('_') }}_repeat
    from (
        select {{ columns | join(', ') }}
        from {{ model }}
        where {{ columns | join(' is not null and ') }} is not null
        group by {{ columns | join(', ') }}
        having count(*) > 1
    ) as repeated

),
{%- endfor %}

counts as (

    select *
    from row_counts
    {%- for columns in unique_sets %}
    cross join {{ columns | join('_') }}_repeats
    {%- endfor %}

)

select *
from counts
where
    false
    {%- for check in checks %}
    or {{ check[0] }} > 0
    {%- endfor %}
    {%- for columns in unique_sets %}
    or {{ columns | join('_') }}_repeat > 0
    {%- endfor %}

{% endtest %}
