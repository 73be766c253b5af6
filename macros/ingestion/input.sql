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
    How many files a folder at `path` holds, 0 when it is no folder: a
    folder given as the input matches no file itself (glob() lists files),
    and the message then says to add a glob.
-#}
{% macro files_in_folder(path) -%}
    {%- if not execute or not path -%}
        {{ return(0) }}
    {%- endif -%}
    {%- set query = 'select count(*) from glob(' ~ sql_quote(path.rstrip('/') ~ '/*') ~ ')' -%}
    {{ return(run_query(query).columns[0].values()[0]) }}
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
        parse_timestamp('text', 'date_order'),
        number_format('delimiter'),
        decimal_point_text('text', 'number_format'),
        parse_decimal('text', 'number_format'),
        parse_whole_number('text', 'number_format'),
        normalise_customer_id('text'),
        header_key('text'),
        read_physical_lines('location', 'encoding'),
        numbered_with_repeats(
            'path',
            {'file_bytes': 0, 'modified_us': 0, 'file_encoding': '', 'date_order': '', 'date_order_basis': ''},
            'select 1'
        ),
        csv_numbered_lines('path', 'encoding', 2, 10),
        decoded_numbered_lines('path', 'encoding'),
        slash_date_numbers('line'),
        date_order_evidence('numbers'),
        lines_with_date_evidence('select 1'),
        parquet_numbered_rows('path', ['column']),
        delimiter_candidates() | string,
        canonical_columns() | string,
        transaction_types() | string,
        rejection_reasons() | string,
        line_rejection_reason(),
        rejection_detail('reason'),
        duplicate_detail('line', 'file'),
        number_problem('label', 'text', 'expected'),
        is_placeholder_customer_id('id'),
        earliest_transaction_date(),
        latest_plausible_date('modified_at'),
    ] -%}
    {%- for name in [
        'input_encoding', 'date_order', 'null_tokens', 'customer_id_placeholder_pattern',
        'earliest_transaction_date', 'latest_transaction_date',
    ] -%}
        {#- As text, not JSON: a date given in --vars is no JSON type. -#}
        {%- do parts.append(name ~ '=' ~ (var(name) | string)) -%}
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
        encoding = '{{ encoding }}',
        -- A glob is read as one query, one reader per file at once: DuckDB's
        -- default buffer (32 MiB) for each of them ran a 25-file input out of
        -- memory at memory_limit 4GB. It is also the longest line read.
        buffer_size = {{ csv_buffer_bytes() }}
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


{#-
    The data lines of one file (`numbered`, SQL giving source_line_number
    and raw_line) with the file's listing and scan (`file`: a row of
    input_file_scans) as constants, and for each line the number of the
    first earlier line of the file with the same text (null when there is
    none). Texts are told apart by two independent 64-bit hashes instead of
    being compared: two agreeing by chance is about as likely as one in
    10^20 for a hundred million lines. The repeats are counted file by file,
    each from a read of its own: one aggregate over a whole glob's lines at
    once ran out of memory at 25 files.
-#}
{% macro numbered_with_repeats(path, file, numbered) -%}
    select
        {{ file_constants(path, file) }},
        numbered.source_line_number,
        false as is_header,
        numbered.raw_line,
        repeats.first_line_number as earlier_line_with_same_text
    from (
        select
            *,
            hash(raw_line) as text_key,
            hash(raw_line || chr(31)) as text_check
        from ({{ numbered }})
    ) as numbered
    left join (
        select
            hash(raw_line) as text_key,
            hash(raw_line || chr(31)) as text_check,
            min(source_line_number) as first_line_number
        from ({{ numbered }})
        group by 1, 2
        having count(*) > 1
    ) as repeats
        on
            numbered.text_key = repeats.text_key
            and numbered.text_check = repeats.text_check
            and numbered.source_line_number > repeats.first_line_number
{%- endmacro %}


{#- The columns every row of a file carries: its listing and how it is read. -#}
{% macro file_constants(path, file) -%}
    {{ path }} as source_file,
    {{ file.file_bytes }}::bigint as file_bytes,
    {{ file.modified_us }}::bigint as modified_us,
    {{ sql_quote(file.file_encoding) }} as file_encoding,
    {{ sql_quote(file.date_order) }} as date_order,
    {{ sql_quote(file.date_order_basis) }} as date_order_basis
{%- endmacro %}


{#-
    A CSV file's data lines, numbered as in the file (the header is line 1),
    read as `ranges` ranges of `range_lines` lines at once. row_number()
    over () follows the file's order, but keeps the reading and all that
    follows it on one thread; each range skips the lines before it
    (read_csv's skip) and numbers from there, so the numbering stays exact
    wherever the cuts fall, and they only decide how evenly the threads
    share the work.
-#}
{% macro csv_numbered_lines(path, encoding, ranges, range_lines) -%}
    {%- for range_index in range(ranges) %}
    {%- set first_skipped = range_index * range_lines %}
    select
        line_number + {{ first_skipped }} as source_line_number,
        line as raw_line
    from (
        select
            row_number() over () as line_number,
            line
        from {{ read_physical_lines(
            path, encoding, 'skip = ' ~ first_skipped if first_skipped else ''
        ) }}
        {%- if not loop.last %}
        limit {{ range_lines }}
        {%- endif %}
    )
    where line_number + {{ first_skipped }} > 1
    {{ 'union all' if not loop.last }}
    {%- endfor %}
{%- endmacro %}


{#-
    Every line of a CSV file that is not UTF-8 (`encoding` windows-1252 or
    latin-1), numbered from 1 (the header). DuckDB's own reader decodes only
    UTF-8 and a Latin-1 without bytes 0x80-0x9F, where Windows-1252 keeps
    € and curly quotes, so the file is read whole as bytes and decoded by
    decode_text_lines, which the profile's plugin registers
    (customer_lifecycle.dbt_paths_plugin): one read, no ranges.
-#}
{% macro decoded_numbered_lines(path, encoding) -%}
    select
        source_line_number,
        raw_line
    from (
        select
            generate_subscripts(decoded.lines, 1) as source_line_number,
            unnest(decoded.lines) as raw_line
        from (
            select decode_text_lines(content, {{ sql_quote(encoding) }}) as lines
            from read_blob({{ path }})
        ) as decoded
    )
{%- endmacro %}


{#- A Parquet file's rows as lines: values as text joined by U+001F, numbered from 1. -#}
{% macro parquet_numbered_rows(path, columns) -%}
    select
        file_row_number + 1 as source_line_number,
        concat_ws(
            chr(31),
            {%- for column in columns %}
            coalesce(cast({{ adapter.quote(column) }} as varchar), ''){{ ',' if not loop.last }}
            {%- endfor %}
        ) as raw_line
    from read_parquet({{ path }}, file_row_number = true)
{%- endmacro %}
