{#-
    dbt-spark's seed loader (session method) binds each value by wrapping it
    in quotes without escaping them, so a value such as "Can't Lose Them"
    ends the literal early and the insert fails. This override writes each
    value as a literal through sql_quote, which escapes it for Spark; dbt
    calls it for every seed on Spark, in place of dbt-spark's own.
-#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {%- for row in chunk %}
            (
                {%- for value in row -%}
                    {%- set column_name = agate_table.column_names[loop.index0] -%}
                    {%- set type = column_override.get(
                        column_name, adapter.convert_type(agate_table, loop.index0)
                    ) -%}
                    cast({{ 'null' if value is none else sql_quote(value) }} as {{ type }})
                    {{- ', ' if not loop.last }}
                {%- endfor -%}
            ){{ ',' if not loop.last }}
            {%- endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.first -%}
            {%- do statements.append(sql) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(statements[0] if statements else '') }}
{% endmacro %}
