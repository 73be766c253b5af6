{#-
    Helpers for reading the raw input (stg_retail__raw_lines and
    stg_retail__files). They are DuckDB-specific on purpose: an adapter port
    rewrites this folder and models/ingestion, nothing else.
-#}

{#-
    The input path as configured on the source retail.transactions (var
    transactions_path, else env CUSTOMER_LIFECYCLE_TRANSACTIONS, else the
    bundled sample; see _retail__sources.yml), unquoted, for messages and
    for choosing the reader.
-#}
{% macro transactions_path() -%}
    {%- set location = source('retail', 'transactions').external -%}
    {#- Not a string while dbt parses, nor in a unit test or sqlfluff's templater. -#}
    {%- if location is not string -%}
        {{ return('') }}
    {%- endif -%}
    {{ return(location[1:-1] | replace("''", "'")) }}
{%- endmacro %}


{% macro is_parquet_input() -%}
    {{ return(transactions_path().lower().endswith('.parquet')) }}
{%- endmacro %}


{#-
    The files the input path matches, in read order (sorted by path), each
    as {source_file, file_bytes, modified_us}, read from the file system's
    listing when the model is compiled; no file's content is read. Empty
    while dbt parses, and when the path matches nothing: the models turn
    that into a message at run time, so that `dbt compile` works before the
    sample exists.
-#}
{% macro input_files() -%}
    {#- Before the execute check, so that dbt records the dependency. -#}
    {%- set location = source('retail', 'transactions').external -%}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set matched = run_query('select count(*) from glob(' ~ location ~ ')').columns[0].values()[0] -%}
    {%- if matched == 0 -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set listing -%}
        select filename, size, epoch_us(last_modified)
        from read_blob({{ location }})
        order by filename
    {%- endset -%}
    {%- set files = [] -%}
    {%- for row in run_query(listing).rows -%}
        {%- do files.append({
            'source_file': row[0], 'file_bytes': row[1], 'modified_us': row[2]
        }) -%}
    {%- endfor -%}
    {{ return(files) }}
{%- endmacro %}


{#-
    What a file's parsed lines depend on besides its bytes and encoding: the
    code and the vars that turn a line into typed, validated values. It is
    part of every file_key (stg_retail__files), so changing any of it makes
    the next build parse every file again under the new rules. The macros
    are rendered, not read, so an edit to any of them, or to a macro they
    call, changes the result; the rule seeds and each file's encoding are
    added to the key in SQL. Edits to the SQL of the ingestion and
    validation models themselves are not seen here: after one, run
    `make clean` (README). python/tests/test_ingestion_cache.py checks that
    every macro of macros/ingestion and macros/validation that shapes a line
    is listed.
-#}
{% macro ingestion_fingerprint() -%}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set parts = [
        split_fields('line', 'delimiter', 'allow_quotes'),
        may_have_padded_fields('line', 'delimiter_then_space', 'space_then_delimiter'),
        null_if_token('text'),
        parse_timestamp('text'),
        parse_decimal('text'),
        parse_whole_number('text'),
        normalise_customer_id('text'),
        header_key('text'),
        read_physical_lines('location', 'encoding'),
        delimiter_candidates() | string,
        canonical_columns() | string,
        transaction_types() | string,
        rejection_reasons() | string,
        line_rejection_reason(),
        rejection_detail('reason'),
        duplicate_detail('line', 'file'),
    ] -%}
    {%- for name in ['input_encoding', 'date_order', 'null_tokens'] -%}
        {%- do parts.append(name ~ '=' ~ (var(name) | tojson)) -%}
    {%- endfor -%}
    {{ return(local_md5(parts | join('\n'))) }}
{%- endmacro %}


{#- Parquet column names of one file, in file order, read from its footer. -#}
{% macro parquet_columns(path) -%}
    {%- set described = run_query(
        "describe select * from read_parquet(" ~ sql_quote(path) ~ ")"
    ) -%}
    {{ return(described.columns[0].values() | list) }}
{%- endmacro %}


{#-
    How a header cell is matched against seeds/column_aliases.csv: lower
    case, letters and digits only, so "Customer ID", "customer_id" and a
    byte-order mark in front of "Invoice" all normalise away.
-#}
{% macro header_key(text) -%}
    regexp_replace(lower({{ text }}), '[^a-z0-9]', '', 'g')
{%- endmacro %}


{#-
    read_csv of a CSV as one VARCHAR column `line` per physical line: no
    quote or escape character, a NUL delimiter, no sniffing, so a broken line
    cannot swallow its neighbours. Quoting is applied later, line by line.
    `extra_options` is appended to the call as written.
-#}
{% macro read_physical_lines(location, encoding, extra_options='') -%}
    read_csv(
        {{ location }},
        columns = {'line': 'VARCHAR'},
        header = false,
        auto_detect = false,
        delim = chr(0),
        quote = '',
        escape = '',
        comment = '',
        encoding = '{{ encoding }}'
        {%- if extra_options %},
        {{ extra_options }}
        {%- endif %}
    )
{%- endmacro %}


{#-
    How many ranges of lines of one large CSV file are read at the same
    time (stg_retail__raw_lines): as many as DuckDB has threads (one per
    core, or CUSTOMER_LIFECYCLE_THREADS).
-#}
{% macro read_ranges_per_file() -%}
    {%- if not execute -%}
        {{ return(1) }}
    {%- endif -%}
    {{ return(run_query("select current_setting('threads')").columns[0].values()[0] | int) }}
{%- endmacro %}
