{#-
    Helpers for reading the raw input (stg_retail__raw_lines and
    stg_retail__files). Reading files is where DuckDB and Spark differ most,
    so each reader has a duckdb__ and a spark__ version, and the models call
    only the dispatching macro.
-#}

{#-
    The input path as configured on the source retail.transactions (var
    transactions_path, else env CUSTOMER_LIFECYCLE_TRANSACTIONS, else the
    bundled sample; see _retail__sources.yml), unquoted, for messages and
    for choosing the reader.
-#}
{% macro transactions_path() -%}
    {%- set relation = source('retail', 'transactions') -%}
    {#-
        dbt-duckdb renders the source's external_location into the relation;
        other adapters leave it in the source's meta, with the braces doubled
        for dbt-duckdb's format().
    -#}
    {%- if relation.external is defined -%}
        {%- set location = relation.external -%}
    {%- elif execute and graph.sources is defined -%}
        {#- A unit test's graph has no sources: its inputs are fixtures. -#}
        {%- set location = graph.sources['source.customer_lifecycle.retail.transactions']
            .config.meta.external_location | replace('{{', '{') | replace('}}', '}') -%}
    {%- endif -%}
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
    {%- set path = transactions_path() -%}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set files = [] -%}
    {%- for row in run_query(adapter.dispatch('input_listing', 'customer_lifecycle')(path)).rows -%}
        {%- do files.append({
            'source_file': row[0], 'file_bytes': row[1], 'modified_us': row[2]
        }) -%}
    {%- endfor -%}
    {{ return(files) }}
{%- endmacro %}


{#-
    SQL listing the files `path` (a file or a glob) matches: path, size,
    modification time in microseconds (whole milliseconds, the precision
    Spark's listing has), ordered by path.
-#}
{% macro duckdb__input_listing(path) -%}
    {%- set location = sql_quote(path) -%}
    {%- set matched = run_query('select count(*) from glob(' ~ location ~ ')').columns[0].values()[0] -%}
    {%- if matched == 0 -%}
        {{ return('select null, null, null where false') }}
    {%- endif -%}
    {{ return(
        'select filename, size, epoch_us(last_modified) // 1000 * 1000 from read_blob('
        ~ location ~ ') order by filename'
    ) }}
{%- endmacro %}

{#-
    binaryFile lists without reading content when only these columns are
    asked for. Its paths are URIs (file:/...); the scheme is dropped for a
    local file, so that messages and marts show the path as DuckDB does.
    Spark lists the files of a folder given as the path; DuckDB matches
    none, and stg_retail__files then suggests a glob (files_in_folder): a
    path without glob characters keeps only the file it names, so that both
    engines say the same.
-#}
{% macro spark__input_listing(path) -%}
    {%- set listing -%}
        select regexp_replace(path, '^file:', '') as source_file, length, unix_micros(modificationTime)
        from binaryFile.`{{ spark_listable(path) }}`
    {%- endset -%}
    {%- if not modules.re.search('[*?\\[{]', path) -%}
        {%- set listing = 'select * from (' ~ listing ~ ') where source_file like '
            ~ sql_quote('%' ~ path.lstrip('.').lstrip('/')) -%}
    {%- endif -%}
    {{ return(listing ~ ' order by 1') }}
{%- endmacro %}


{#-
    `path` (a file, folder or glob) as it goes between the backticks of
    binaryFile.`<path>` for a listing. Spark stops a query on a path that
    matches nothing with its own PATH_NOT_FOUND, before the project can say
    what to do. So a local absolute path becomes one alternative of a Hadoop
    glob whose other is /dev/null, which exists on every Unix machine and is
    never listed (Spark lists no 0-byte file): the glob always matches, and
    a path that matches nothing lists no file. The glob would cut the path
    at a comma, or close early at a "}", outside the path's own braces, so
    those are escaped. Paths the glob would read otherwise are given as they
    are, and a missing one stops with Spark's error: relative ones, those
    with a scheme or another colon (Hadoop reads "10:00.csv" as a URI once
    the path is a glob), a backslash (the glob's expansion drops escapes),
    or a "." or ".." segment (normalised before the braces are read).
-#}
{% macro spark_listable(path) -%}
    {%- set segments = path.split('/') -%}
    {%- if not path.startswith('/') or path.startswith('//') or ':' in path or '\\' in path
        or '.' in segments or '..' in segments -%}
        {{ return(path | replace('`', '``')) }}
    {%- endif -%}
    {%- set state = namespace(text='', depth=0) -%}
    {%- for character in path[1:] -%}
        {%- if character == '{' -%}
            {%- set state.depth = state.depth + 1 -%}
        {%- elif character == '}' and state.depth > 0 -%}
            {%- set state.depth = state.depth - 1 -%}
        {%- elif character in [',', '}'] -%}
            {%- set state.text = state.text ~ '\\' -%}
        {%- endif -%}
        {%- set state.text = state.text ~ character -%}
    {%- endfor -%}
    {{ return(('/{' ~ state.text ~ ',dev/null}') | replace('`', '``')) }}
{%- endmacro %}


{#-
    What the not-found message adds on an engine whose listing leaves
    files out: Spark's file sources skip 0-byte files and names starting
    with _ or . (Hadoop's hidden files), which DuckDB reads.
-#}
{% macro unlisted_files_note() -%}
    {{ return(adapter.dispatch('unlisted_files_note', 'customer_lifecycle')()) }}
{%- endmacro %}

{% macro default__unlisted_files_note() -%}
    {{ return('') }}
{%- endmacro %}

{% macro spark__unlisted_files_note() -%}
    {{ return(
        ' Spark lists no empty (0-byte) file, nor one whose name starts with _ or . (a dot):'
        ~ ' rename a file named so for Spark to read it.'
    ) }}
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
    {{ return(adapter.dispatch('files_in_folder', 'customer_lifecycle')(path)) }}
{%- endmacro %}

{% macro duckdb__files_in_folder(path) -%}
    {%- set query = 'select count(*) from glob(' ~ sql_quote(path.rstrip('/') ~ '/*') ~ ')' -%}
    {{ return(run_query(query).columns[0].values()[0]) }}
{%- endmacro %}

{#- The count matters only when the path has matched no file: it then names a folder, or nothing. -#}
{% macro spark__files_in_folder(path) -%}
    {%- set query = 'select count(*) from binaryFile.`' ~ spark_listable(path.rstrip('/')) ~ '`' -%}
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
        first_line('path'),
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
        adapter.dispatch('describe_parquet', 'customer_lifecycle')(sql_quote(path))
    ) -%}
    {{ return(described.columns[0].values() | list) }}
{%- endmacro %}

{% macro duckdb__describe_parquet(path) -%}
    {{ return('describe select * from read_parquet(' ~ path ~ ')') }}
{%- endmacro %}

{% macro spark__describe_parquet(path) -%}
    {{ return('describe query select * from parquet.`' ~ spark_path(path) ~ '`') }}
{%- endmacro %}


{#-
    How a header cell is matched against seeds/column_aliases.csv: lower
    case, letters and digits only, so "Customer ID", "customer_id" and a
    byte-order mark in front of "Invoice" all normalise away.
-#}
{% macro header_key(text) -%}
    {{ regexp_replace_all('lower(' ~ text ~ ')', "'[^a-z0-9]'", "''") }}
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
    {{ return(adapter.dispatch('read_ranges_per_file', 'customer_lifecycle')()) }}
{%- endmacro %}

{% macro duckdb__read_ranges_per_file() -%}
    {{ return(run_query("select current_setting('threads')").columns[0].values()[0] | int) }}
{%- endmacro %}

{#- Spark cuts a file into splits itself (spark__csv_numbered_lines). -#}
{% macro spark__read_ranges_per_file() -%}
    {{ return(1) }}
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
            {{ row_hash(['raw_line']) }} as text_key,
            {{ row_hash(["raw_line || chr(31)"]) }} as text_check
        from ({{ numbered }})
    ) as numbered
    left join (
        select
            {{ row_hash(['raw_line']) }} as text_key,
            {{ row_hash(["raw_line || chr(31)"]) }} as text_check,
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
    cast({{ file.file_bytes }} as bigint) as file_bytes,
    cast({{ file.modified_us }} as bigint) as modified_us,
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
{% macro csv_numbered_lines(path, encoding, ranges, range_lines, include_header=false) -%}
    {{ return(adapter.dispatch('csv_numbered_lines', 'customer_lifecycle')(
        path, encoding, ranges, range_lines, include_header
    )) }}
{%- endmacro %}

{% macro duckdb__csv_numbered_lines(path, encoding, ranges, range_lines, include_header) -%}
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
    where line_number + {{ first_skipped }} > {{ 0 if include_header else 1 }}
    {{ 'union all' if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{#-
    Spark reads a large file in several splits (spark.sql.files.maxPartitionBytes
    each), in parallel, and packs splits into tasks in no particular order.
    Within one split, rows come in file order, and monotonically_increasing_id()
    grows with them; every row also knows the byte offset where its split
    starts (input_file_block_start()). A line that crosses a split boundary
    belongs to the split it starts in, as Hadoop's line reader reads it. So
    a line's number is the count of lines in the splits before its own, plus
    its rank in its split: exact for a file of any size, however the splits
    were scheduled, and computed split by split, never in one sort of the
    whole file. Ranges are Spark's to choose.
-#}
{% macro spark__csv_numbered_lines(path, encoding, ranges, range_lines, include_header) -%}
    {%- set physical_lines -%}
        select
            input_file_block_start() as block_start,
            monotonically_increasing_id() as read_order,
            -- DuckDB's reader gives an empty line as null.
            nullif(value, '') as raw_line
        from text.`{{ spark_path(path) }}`
    {%- endset %}
    select
        splits.lines_before
        + row_number() over (partition by lines.block_start order by lines.read_order)
            as source_line_number,
        lines.raw_line
    from ({{ physical_lines }}) as lines
    inner join (
        select
            block_start,
            coalesce(sum(count(*)) over (
                order by block_start rows between unbounded preceding and 1 preceding
            ), 0) as lines_before
        from ({{ physical_lines }})
        group by block_start
    ) as splits
        on lines.block_start = splits.block_start
    {%- if not include_header %}
    qualify source_line_number > 1
    {%- endif %}
{%- endmacro %}


{#-
    The first line of a CSV file (`path`, a SQL literal) read as UTF-8, as
    `line`: no row for an empty file.
-#}
{% macro first_line(path) -%}
    {{ return(adapter.dispatch('first_line', 'customer_lifecycle')(path)) }}
{%- endmacro %}

{#- The numbering makes LIMIT take the first line, whatever the read order. -#}
{% macro duckdb__first_line(path) -%}
    select line
    from (
        select
            row_number() over () as line_number,
            line
        from {{ read_physical_lines(path, 'utf-8') }}
    )
    where line_number = 1
    limit 1
{%- endmacro %}

{#- The first line is the first row of the split that starts the file. -#}
{% macro spark__first_line(path) -%}
    select min_by(value, read_order) as line
    from (
        select value, monotonically_increasing_id() as read_order
        from text.`{{ spark_path(path) }}`
        where input_file_block_start() = 0
    )
    having count(*) > 0
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
    {{ return(adapter.dispatch('decoded_numbered_lines', 'customer_lifecycle')(path, encoding)) }}
{%- endmacro %}

{% macro duckdb__decoded_numbered_lines(path, encoding) -%}
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

{#-
    Decoded as DuckDB's decoder decodes (customer_lifecycle.text_lines):
    as Latin-1, which maps every byte, then for Windows-1252 the 27 bytes
    of 0x80-0x9F it defines translated to its characters (the euro sign,
    curly quotes, ...), the five it leaves undefined kept as Latin-1's.
    Java's own windows-1252 stops the query on those five. The lines are
    cut as DuckDB's decoder cuts them: at LF, else at CR, a CR before an LF
    dropped, an empty line null, and the empty piece after a final line
    break no line.
-#}
{% macro spark__decoded_numbered_lines(path, encoding) -%}
    {%- set latin1 = "decode(content, 'ISO-8859-1')" %}
    {%- set decoded = {
        'latin-1': latin1,
        'windows-1252': "translate(" ~ latin1
            ~ ", '\\u0080\\u0082\\u0083\\u0084\\u0085\\u0086\\u0087\\u0088\\u0089\\u008a\\u008b\\u008c\\u008e\\u0091\\u0092\\u0093\\u0094\\u0095\\u0096\\u0097\\u0098\\u0099\\u009a\\u009b\\u009c\\u009e\\u009f'"
            ~ ", '\\u20ac\\u201a\\u0192\\u201e\\u2026\\u2020\\u2021\\u02c6\\u2030\\u0160\\u2039\\u0152\\u017d\\u2018\\u2019\\u201c\\u201d\\u2022\\u2013\\u2014\\u02dc\\u2122\\u0161\\u203a\\u0153\\u017e\\u0178')",
    }[encoding] %}
    select
        position + 1 as source_line_number,
        nullif(regexp_replace(line, chr(13) || '$', ''), '') as raw_line
    from (
        select posexplode(split(text, line_break, -1)) as (position, line), size(split(text, line_break, -1)) as pieces
        from (
            select
                text,
                case when instr(text, chr(10)) > 0 then chr(10) else chr(13) end as line_break
            from (
                select {{ decoded }} as text
                from binaryFile.`{{ spark_path(path) }}`
            )
        )
    )
    where not (position = pieces - 1 and line = '')
{%- endmacro %}


{#- A Parquet file's rows as lines: values as text joined by U+001F, numbered from 1. -#}
{% macro parquet_numbered_rows(path, columns) -%}
    {{ return(adapter.dispatch('parquet_numbered_rows', 'customer_lifecycle')(path, columns)) }}
{%- endmacro %}

{% macro duckdb__parquet_numbered_rows(path, columns) -%}
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

{#- _metadata.row_index is a row's position in its file, whatever the split that read it. -#}
{% macro spark__parquet_numbered_rows(path, columns) -%}
    select
        _metadata.row_index + 1 as source_line_number,
        concat_ws(
            chr(31),
            {%- for column in columns %}
            coalesce(cast({{ adapter.quote(column) }} as string), ''){{ ',' if not loop.last }}
            {%- endfor %}
        ) as raw_line
    from parquet.`{{ spark_path(path) }}`
{%- endmacro %}


{#-
    One listed file's path (`path`, a SQL literal from sql_quote) as it goes
    between the backticks of text.`<path>`: unescaped, backticks doubled,
    and the characters Hadoop reads as a glob ({ } [ ] * ? and the
    backslash) escaped, so that a file named "it's {1}.csv" is read as
    named.
-#}
{% macro spark_path(path) -%}
    {%- set unquoted = path[1:-1] | replace("\\'", "'") | replace("\\\\", "\\") -%}
    {{ return(modules.re.sub('([\\\\{}\\[\\]*?])', '\\\\\\1', unquoted) | replace('`', '``')) }}
{%- endmacro %}
