{#-
    Incremental ingestion, keyed by input file (docs/architecture.md).

    Every model that holds rows of input files (the staging lines, the
    per-file partials, marts.rejected_transactions) carries the file's
    `file_key` from stg_retail__input_files. A key names a file's path, size
    and modification time, those of every file before it in read order, and
    the ingestion settings; so a file keeps its key only while nothing that
    its rows depend on has changed. A build then:

    - reads and parses only the files whose key no parsed row carries yet
      (`unseen_input_files`), and
    - replaces rows by file key, removing the rows of files whose key is
      gone (the `by_file_key` incremental strategy).

    A file appended at the end of the read order (next month's export) costs
    only its own lines. A file changed, removed or inserted earlier in the
    order changes the keys of every file after it, which are parsed again,
    because duplicate lines are judged against the lines read before them.
-#}


{#-
    The relation a model of this project is built into, found through the
    graph rather than ref(), so that an upstream model can ask what a
    downstream one already holds without a cycle in the DAG. None while dbt
    parses, or when the relation does not exist yet.
-#}
{% macro existing_model_relation(model_name) -%}
    {%- if not execute -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set node = graph.nodes.get('model.' ~ project_name ~ '.' ~ model_name) -%}
    {{ return(adapter.get_relation(
        database=node.database, schema=node.schema, identifier=node.alias
    )) }}
{%- endmacro %}


{#-
    The input files (rows of stg_retail__input_files: source_file,
    file_key) whose key `relation` does not hold yet, in read order: every
    file when the relation does not exist, has no key yet (built by a
    release before keys), or a full refresh was asked for.
-#}
{% macro unseen_input_files(input_files, relation) -%}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set has_keys = relation is not none and not flags.FULL_REFRESH
        and 'file_key' in (adapter.get_columns_in_relation(relation) | map(attribute='name') | list) -%}
    {%- set query -%}
        select source_file, file_key
        from {{ input_files }}
        {%- if has_keys %}
        where file_key not in (
            select distinct file_key from {{ relation }} where file_key is not null
        )
        {%- endif %}
        order by file_order
    {%- endset -%}
    {{ return(run_query(query).rows | list) }}
{%- endmacro %}


{#-
    A predicate on `file_key` that keeps the rows of the input files this
    incremental model has not seen yet; true when the model is built whole.
    The keys are written into the query as constants, so DuckDB filters the
    upstream table while scanning it instead of reading every row first.
-#}
{% macro only_unseen_files(input_files) -%}
    {%- if is_incremental() -%}
        {%- set keys = unseen_input_files(input_files, this) | map(attribute='file_key') | list -%}
        file_key in ({{ keys | join(', ') if keys else 'null' }})
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}


{#-
    Incremental strategy `by_file_key` (config incremental_strategy):
    deletes the rows of every file the new rows replace and of every file
    no longer in the input, then appends the new rows, both inside the
    model's transaction, so a failed build changes nothing. Rows without a key come from a release
    before keys (on_schema_change='append_new_columns' added the column):
    they go too, and their files are read again.
-#}
{% macro get_incremental_by_file_key_sql(arg_dict) -%}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set columns = arg_dict['dest_columns'] | map(attribute='quoted') | join(', ') -%}
    {%- set input_files = existing_model_relation('stg_retail__input_files') -%}
    delete from {{ target }}
    where
        file_key is null
        or file_key in (select file_key from {{ arg_dict['temp_relation'] }})
        or file_key not in (select file_key from {{ input_files }});

    insert into {{ target }} ({{ columns }})
    select {{ columns }} from {{ arg_dict['temp_relation'] }}
{%- endmacro %}


{#-
    What the parsed rows of a file depend on besides the file itself: the
    code of the staging models and of the models kept by file key, and the
    vars they read. Changing any of them changes every file key, so the next
    build parses everything again. dbt's graph holds no macro code: after
    changing a macro of macros/ingestion/, run
    dbt build --full-refresh --select tag:ingestion.
-#}
{% macro ingestion_fingerprint() -%}
    {%- if not execute or graph is not defined -%}
        {{ return('') }}
    {%- endif -%}
    {%- set parts = [] -%}
    {%- for node in graph.nodes.values() | sort(attribute='unique_id') -%}
        {%- if node.resource_type == 'model' and node.package_name == project_name
            and (node.fqn[1] == 'staging'
                or node.config.incremental_strategy == 'by_file_key') -%}
            {%- do parts.append(node.raw_code) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for name in ['input_encoding', 'date_order', 'null_tokens'] -%}
        {%- do parts.append(name ~ '=' ~ (var(name) | tojson)) -%}
    {%- endfor -%}
    {{ return(local_md5(parts | join('\n'))) }}
{%- endmacro %}
