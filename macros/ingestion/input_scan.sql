{#-
    What reading an input file needs to know before it starts, found by
    reading the whole file once, when it is new to the landing cache
    (stg_retail__file_scans keeps the result, so a later build reads no file
    twice for it): the encoding to decode it with, its number of lines (where
    stg_retail__raw_lines cuts it into ranges read at once), and the order
    of day and month in its slash dates. A file that cannot be read as text
    stops the build here, with a message that names the file, the line and
    the fix, instead of a reader error whose suggested options the user
    cannot set.
-#}


{#-
    One dict per file of `files` (input_files()): the file's listing, its
    scan_key, and its scan, read from `scans` (stg_retail__file_scans, when
    it exists and holds the file's scan_key) or made now (is_new true). A
    key covers the file's path, size and modification time and the
    ingestion settings (ingestion_fingerprint), so a changed file or setting
    is scanned again.
-#}
{% macro input_file_scans(files, scans) -%}
    {%- set fingerprint = ingestion_fingerprint() -%}
    {%- set keyed = [] -%}
    {%- for file in files -%}
        {%- do keyed.append((file, local_md5(
            file.source_file ~ '|' ~ file.file_bytes ~ '|' ~ file.modified_us ~ '|' ~ fingerprint
        ))) -%}
    {%- endfor -%}
    {%- set known = {} -%}
    {%- if keyed and scans is not none and scans.schema is not none
        and load_relation(scans) is not none -%}
        {%- set query -%}
            select * from {{ scans }}
            where scan_key in (
                {%- for file, key in keyed -%}
                {{ sql_quote(key) }}{{ ', ' if not loop.last }}
                {%- endfor -%}
            )
        {%- endset -%}
        {%- set table = run_query(query) -%}
        {%- for row in table.rows -%}
            {%- set stored = {} -%}
            {%- for name in table.column_names -%}
                {%- do stored.update({name: row[name]}) -%}
            {%- endfor -%}
            {%- do known.update({stored.scan_key: stored}) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set result = [] -%}
    {%- for file, key in keyed -%}
        {%- set scan = known.get(key) or scan_input_file(file) -%}
        {%- do scan.update(file) -%}
        {%- do scan.update({'scan_key': key, 'is_new': key not in known}) -%}
        {%- do result.append(scan) -%}
    {%- endfor -%}
    {{ return(result) }}
{%- endmacro %}


{#-
    Scans one file of input_files() (`file`) and returns what reading it
    needs: file_encoding, physical_lines, line_bytes (mean), and date_order
    with date_order_basis (how it was decided), with the counts behind them.
-#}
{% macro scan_input_file(file) -%}
    {%- set path = file.source_file -%}
    {%- set setting = var('input_encoding') -%}
    {%- if setting not in ('auto', 'utf-8', 'windows-1252', 'latin-1') -%}
        {{ exceptions.raise_compiler_error(
            "The var input_encoding is '" ~ setting
            ~ "'; use auto, utf-8, windows-1252 or latin-1."
        ) }}
    {%- endif -%}
    {%- if var('date_order') not in ('auto', 'mdy', 'dmy') -%}
        {{ exceptions.raise_compiler_error(
            "The var date_order is '" ~ var('date_order') ~ "'; use auto, mdy or dmy."
        ) }}
    {%- endif -%}
    {%- set extension = path.rsplit('.', 1)[-1].lower() if '.' in path else '' -%}
    {%- if extension in ('xlsx', 'xlsm', 'xls', 'ods') -%}
        {{ exceptions.raise_compiler_error(spreadsheet_message(path)) }}
    {%- endif -%}
    {%- if is_parquet_input() -%}
        {%- set numbered = parquet_numbered_rows(sql_quote(path), parquet_columns(path)) -%}
        {%- set scan = with_date_order(path, scan_counts(numbered), numbered) -%}
        {%- do scan.update({'file_encoding': 'parquet'}) -%}
        {{ return(scan) }}
    {%- endif -%}

    {%- set utf8_scan, errors = adapter.dispatch('utf8_scan', 'customer_lifecycle')(path) -%}

    {%- set nul = errors.get('TOO MANY COLUMNS') -%}
    {%- if nul and nul.line == 1 and nul.text.startswith('PK\x03\x04') -%}
        {{ exceptions.raise_compiler_error(spreadsheet_message(path)) }}
    {%- elif nul and nul.line == 1 -%}
        {{ exceptions.raise_compiler_error(
            "Cannot read " ~ path ~ ": it is UTF-16 encoded, or not text at all"
            ~ " (line 1 holds NUL bytes, as UTF-16 has between its characters)."
            ~ " Save it as UTF-8 instead (Excel: Save As \"CSV UTF-8\"), or convert it:"
            ~ " iconv -f UTF-16 -t UTF-8 '" ~ path ~ "' > export.csv"
        ) }}
    {%- elif nul -%}
        {{ exceptions.raise_compiler_error(
            "Cannot read " ~ path ~ ": line " ~ nul.line ~ " holds a NUL byte (0x00),"
            ~ " which no text CSV file has" ~ (
                " (" ~ nul.lines ~ " lines do)" if nul.lines > 1 else ""
            ) ~ "; the file is damaged there. Export it again, or remove the NUL"
            ~ " bytes: tr -d '\\000' < '" ~ path ~ "' > export.csv"
        ) }}
    {%- endif -%}
    {%- set long_line = errors.get('LINE SIZE OVER MAXIMUM') -%}
    {%- if long_line -%}
        {{ exceptions.raise_compiler_error(
            "Cannot read " ~ path ~ ": line " ~ long_line.line ~ " is longer than "
            ~ (csv_buffer_bytes() // 1048576) ~ " MiB, the most a line is read as."
            ~ " No transaction is that long: the export is damaged there, for"
            ~ " example a missing line break or a field that never ends. Fix or"
            ~ " delete that line."
        ) }}
    {%- endif -%}

    {%- set invalid = errors.get('INVALID ENCODING') -%}
    {%- if not invalid and setting in ('auto', 'utf-8') -%}
        {%- set scan = with_date_order(
            path, utf8_scan, csv_numbered_lines(sql_quote(path), 'utf-8', 1, 0)
        ) -%}
        {%- do scan.update({'file_encoding': 'utf-8'}) -%}
        {{ return(scan) }}
    {%- elif invalid and setting == 'utf-8' -%}
        {{ exceptions.raise_compiler_error(
            "Cannot read " ~ path ~ ": line " ~ invalid.line ~ " is not UTF-8"
            ~ " (a byte such as é or € written in Windows-1252 or Latin-1), but the"
            ~ " var input_encoding is 'utf-8'. Set input_encoding to auto or"
            ~ " windows-1252, or export the file again as UTF-8."
        ) }}
    {%- elif invalid and setting == 'auto' and utf8_scan.non_ascii_lines > 0 -%}
        {{ exceptions.raise_compiler_error(
            "Cannot read " ~ path ~ ": it mixes two encodings. Some lines are UTF-8"
            ~ " (such as \"" ~ utf8_scan.non_ascii_sample ~ "\"), but line "
            ~ invalid.line ~ " has a byte that is not UTF-8 (Windows-1252 or Latin-1,"
            ~ " as older spreadsheet exports write é or €). Export the file again"
            ~ " as UTF-8."
        ) }}
    {%- endif -%}
    {#-
        Not UTF-8: every byte is a character, so the lines are counted and
        scanned again as decoded, by the reader the build uses.
    -#}
    {%- set encoding = 'windows-1252' if setting == 'auto' else setting -%}
    {%- set numbered = decoded_numbered_lines(sql_quote(path), encoding) -%}
    {%- set scan = with_date_order(path, scan_counts(numbered), numbered) -%}
    {%- do scan.update({'file_encoding': encoding}) -%}
    {{ return(scan) }}
{%- endmacro %}


{#-
    The file at `path` read as UTF-8: the scan_counts of the lines that are
    valid UTF-8, and the problems found, by DuckDB's reader error names:
    'TOO MANY COLUMNS' (a NUL byte), 'LINE SIZE OVER MAXIMUM' and 'INVALID
    ENCODING', each as {line, lines, text} for the first line and the number
    of lines with it.
-#}
{% macro duckdb__utf8_scan(path) -%}
    {#-
        A line the reader cannot take becomes a row of the rejects table,
        with its number and kind, instead of an error. A NUL byte is the
        reader's delimiter, so it shows as a second column.
    -#}
    {%- set utf8_lines -%}
        select null::bigint as source_line_number, line as raw_line
        from {{ read_physical_lines(
            sql_quote(path), 'utf-8',
            "ignore_errors = true, store_rejects = true,"
            ~ " rejects_table = 'input_scan_errors', rejects_scan = 'input_scan_scans'"
        ) }}
    {%- endset -%}
    {%- set utf8_scan = scan_counts(utf8_lines) -%}
    {%- set errors = {} -%}
    {%- set error_query -%}
        select
            error_type,
            min(line) as first_line,
            count(distinct line) as lines,
            arg_min(csv_line, line) as first_text
        from input_scan_errors
        group by error_type
    {%- endset -%}
    {%- for row in run_query(error_query).rows -%}
        {%- do errors.update({row[0]: {'line': row[1], 'lines': row[2], 'text': row[3] or ''}}) -%}
    {%- endfor -%}
    {%- do run_query('drop table if exists input_scan_errors; drop table if exists input_scan_scans') -%}
    {{ return((utf8_scan, errors)) }}
{%- endmacro %}

{#-
    Spark's text reader takes every line's bytes as they are, and has no
    limit on a line's length: the problems are looked for in the lines, with
    the same limit as DuckDB's reader. Lines that are not valid UTF-8 are
    left out of the counts, as DuckDB's reader skips them.
-#}
{% macro spark__utf8_scan(path) -%}
    {%- set lines = csv_numbered_lines(sql_quote(path), 'utf-8', 1, 0, include_header=true) -%}
    {%- set utf8_scan = scan_counts(
        'select * from (' ~ lines ~ ') where is_valid_utf8(raw_line)'
    ) -%}
    {%- set problems = {
        'TOO MANY COLUMNS': 'instr(raw_line, chr(0)) > 0',
        'LINE SIZE OVER MAXIMUM': 'octet_length(raw_line) > ' ~ csv_buffer_bytes(),
        'INVALID ENCODING': 'not is_valid_utf8(raw_line)',
    } -%}
    {%- set error_query -%}
        select
        {%- for name, condition in problems.items() %}
            min(source_line_number) filter (where {{ condition }}),
            count(*) filter (where {{ condition }}),
            left(min_by(raw_line, source_line_number) filter (where {{ condition }}), 200)
            {{- ',' if not loop.last }}
        {%- endfor %}
        from ({{ lines }})
    {%- endset -%}
    {%- set row = run_query(error_query).rows[0] -%}
    {%- set errors = {} -%}
    {%- for name in problems -%}
        {%- set first = loop.index0 * 3 -%}
        {%- if row[first] is not none -%}
            {%- do errors.update({name: {
                'line': row[first], 'lines': row[first + 1], 'text': row[first + 2] or ''
            }}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return((utf8_scan, errors)) }}
{%- endmacro %}


{% macro spreadsheet_message(path) -%}
    {{ return(
        "Cannot read " ~ path ~ ": it is a spreadsheet workbook (Excel), not a CSV"
        ~ " file. Open it and save it as \"CSV UTF-8 (Comma delimited)\", then point"
        ~ " transactions_path (or CUSTOMER_LIFECYCLE_TRANSACTIONS) at the .csv file."
    ) }}
{%- endmacro %}


{#- The reader's buffer (read_physical_lines): also the longest line it reads. -#}
{% macro csv_buffer_bytes() -%}
    {{ return(4194304) }}
{%- endmacro %}


{#-
    Counts of the lines of `lines` (SQL giving source_line_number and
    raw_line, in any order): how many, their mean length, how many are not
    ASCII (with one of them), and what their slash dates say about the order
    of day and month (date_order_evidence).
-#}
{% macro scan_counts(lines) -%}
    {%- set query -%}
        select
            count(*),
            coalesce(sum({{ byte_length("coalesce(raw_line, '')") }}), 0),
            count(*) filter (where {{ byte_length('raw_line') }} <> length(raw_line)),
            min(raw_line) filter (where {{ byte_length('raw_line') }} <> length(raw_line)),
            count(*) filter (where date_evidence is not null),
            count(*) filter (where date_evidence = 'dmy'),
            count(*) filter (where date_evidence = 'mdy')
        from ({{ lines_with_date_evidence(lines) }})
    {%- endset -%}
    {%- set row = run_query(query).rows[0] -%}
    {{ return({
        'physical_lines': row[0],
        'line_bytes': (row[1] / row[0] + 1) if row[0] > 0 else 1,
        'non_ascii_lines': row[2],
        'non_ascii_sample': (row[3] or '')[:60],
        'slash_date_lines': row[4],
        'day_first_lines': row[5],
        'month_first_lines': row[6],
    }) }}
{%- endmacro %}


{#-
    `counts` (scan_counts of a file) with the order of day and month decided
    from them: the var date_order when it is mdy or dmy; under auto, the
    only order the file's slash dates allow, and mdy when they allow both
    (every first and second number is 12 or less) or there are none. A file whose dates allow only one order on some lines
    and only the other on others stops the build, quoting a line of each
    from `numbered` (SQL giving source_line_number and raw_line).
-#}
{% macro with_date_order(path, counts, numbered) -%}
    {%- set scan = counts -%}
    {%- if var('date_order') != 'auto' -%}
        {%- do scan.update({'date_order': var('date_order'), 'date_order_basis': 'set_by_var'}) -%}
    {%- elif scan.day_first_lines > 0 and scan.month_first_lines > 0 -%}
        {{ exceptions.raise_compiler_error(date_order_conflict_message(path, numbered)) }}
    {%- elif scan.day_first_lines > 0 -%}
        {%- do scan.update({'date_order': 'dmy', 'date_order_basis': 'day_first_dates'}) -%}
    {%- elif scan.month_first_lines > 0 -%}
        {%- do scan.update({'date_order': 'mdy', 'date_order_basis': 'month_first_dates'}) -%}
    {%- elif scan.slash_date_lines > 0 -%}
        {%- do scan.update({'date_order': 'mdy', 'date_order_basis': 'ambiguous_default'}) -%}
    {%- else -%}
        {%- do scan.update({'date_order': 'mdy', 'date_order_basis': 'no_slash_dates'}) -%}
    {%- endif -%}
    {{ return(scan) }}
{%- endmacro %}


{#-
    The first slash date of a line that is a whole field (1/12/2010,
    01/12/2010 08:26, "12/1/10"), as its first and second numbers, as text;
    empty when the line has none, null when it has no slash at all. Any
    field counts, not only the invoice date's: a file writes all its dates
    one way, and the scan then needs no header.
-#}
{% macro slash_date_numbers(line) -%}
    {%- set pattern = '(?:^|[,;\\t|\\x1f])[ "]*([0-9]{1,2})/([0-9]{1,2})/(?:[0-9]{4}|[0-9]{2})'
        ~ '(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)?[ "]*(?:[,;\\t|\\x1f]|$)' -%}
    case
        when instr({{ line }}, '/') > 0
            then {{ adapter.dispatch('regexp_groups', 'customer_lifecycle')(
                line, sql_quote(pattern), ['first_number', 'second_number']
            ) }}
    end
{%- endmacro %}


{#- The groups of the first match of `pattern` in `text`, as a struct with a field per name. -#}
{% macro duckdb__regexp_groups(text, pattern, names) -%}
    regexp_extract({{ text }}, {{ pattern }}, [{{ names | map('tojson') | join(', ') | replace('"', "'") }}])
{%- endmacro %}

{% macro spark__regexp_groups(text, pattern, names) -%}
    named_struct(
    {%- for name in names %}
        '{{ name }}', regexp_extract({{ text }}, {{ pattern }}, {{ loop.index }}){{ ',' if not loop.last }}
    {%- endfor %}
    )
{%- endmacro %}


{#-
    What slash_date_numbers (`numbers`) say about the order of day and
    month: 'dmy' when only a day-first reading is a date (the first number
    is above 12), 'mdy' when only a month-first one is, '' when either could
    be, null when there is no slash date.
-#}
{% macro date_order_evidence(numbers) -%}
    case
        when
            try_cast({{ numbers }}.first_number as integer) between 13 and 31
            and try_cast({{ numbers }}.second_number as integer) between 1 and 12
            then 'dmy'
        when
            try_cast({{ numbers }}.second_number as integer) between 13 and 31
            and try_cast({{ numbers }}.first_number as integer) between 1 and 12
            then 'mdy'
        when {{ numbers }}.first_number <> '' then ''
    end
{%- endmacro %}


{#- The lines of `numbered` with their date_evidence: the scans' input. -#}
{% macro lines_with_date_evidence(numbered) -%}
    {%- if var('date_order') == 'auto' %}
    select
        source_line_number,
        raw_line,
        {{ date_order_evidence('slash_date') }} as date_evidence
    from (
        select
            source_line_number,
            raw_line,
            {{ slash_date_numbers('raw_line') }} as slash_date
        from ({{ numbered }})
    )
    {%- else %}
    select
        source_line_number,
        raw_line,
        null as date_evidence
    from ({{ numbered }})
    {%- endif %}
{%- endmacro %}


{#- The first line of each order, quoted with its number, and what to do. -#}
{% macro date_order_conflict_message(path, numbered) -%}
    {%- set query -%}
        select
            date_evidence,
            min(source_line_number) as line_number,
            {{ arg_min('raw_line', 'source_line_number') }} as line_text
        from ({{ lines_with_date_evidence(numbered) }})
        where date_evidence in ('dmy', 'mdy')
        group by date_evidence
        order by date_evidence
    {%- endset -%}
    {%- set found = {} -%}
    {%- for row in run_query(query).rows -%}
        {%- do found.update({row[0]: 'line ' ~ row[1] ~ ' ("' ~ row[2][:120] ~ '")'}) -%}
    {%- endfor -%}
    {{ return(
        "The dates of " ~ path ~ " are written in both orders: "
        ~ found.get('dmy') ~ " can only be day-first (DD/MM/YYYY), and "
        ~ found.get('mdy') ~ " can only be month-first (MM/DD/YYYY)."
        ~ " Set the var date_order to the file's order, dmy or mdy (for example"
        ~ " --vars '{date_order: dmy}'); its lines in the other order are then"
        ~ " rejected as unparseable_date."
    ) }}
{%- endmacro %}
