{#-
    Numbers the raw lines. DuckDB fills a table in scan order while
    preserve_insertion_order is on (set in profiles.yml), so the rowid of
    stg_retail__raw_lines is the line's position in the read: files in glob
    order, lines in file order. Reading it costs nothing, unlike
    row_number() over (), which makes the whole CSV scan single-threaded.
-#}

with

raw_lines as (

    select
        rowid as line_seq,
        source_file,
        raw_line
    from {{ ref('stg_retail__raw_lines') }}

)

select * from raw_lines
