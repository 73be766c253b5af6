{#-
    Custom schemas are used as given ("marts", not "main_marts"), because the
    schema names are part of the public contract that SQL clients rely on.
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
