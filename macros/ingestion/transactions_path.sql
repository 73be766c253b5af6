{#-
    The input path as configured on the source retail.transactions (see
    _retail__sources.yml, where its default lives), for messages and for
    choosing the reader. Read from the graph rather than through source(),
    so that models using it need no source fixture in their unit tests.
    Empty while dbt parses, before the graph exists.
-#}
{% macro transactions_path() -%}
    {#- sqlfluff lints without a graph; dbt always has one. -#}
    {%- set sources = graph.get('sources', {}) if graph is defined else {} -%}
    {%- set node = sources.get('source.' ~ project_name ~ '.retail.transactions') -%}
    {%- if not node -%}
        {{ return('') }}
    {%- endif -%}
    {%- set location = node.config.meta.external_location or node.meta.external_location -%}
    {{ return(location | replace("''", "'")) }}
{%- endmacro %}
