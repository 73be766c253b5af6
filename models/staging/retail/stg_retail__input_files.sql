{{ config(materialized='table') }}

{#-
    One row per file the input path matches, in read order, with the key
    that incremental ingestion tracks it by (macros/ingestion/incremental_files.sql).
    Only the file system's listing is read here, never a file's content.
-#}

{{ assert_transactions_input_exists() }}

with

listed_files as (

    select
        filename as source_file,
        size as file_bytes,
        last_modified as modified_at
    from read_blob({{ source('retail', 'transactions') }})

),

column_aliases as (

    select * from {{ ref('column_aliases') }}

),

stock_code_rules as (

    select * from {{ ref('stock_code_rules') }}

),

ingestion_settings as (

    -- The rule seeds are part of what a parsed line depends on.
    select
        hash(
            {{ sql_quote(ingestion_fingerprint()) }},
            (
                select
                    string_agg(
                        concat_ws('|', header_name, canonical_column, is_required),
                        chr(10) order by header_name, canonical_column
                    )
                from column_aliases
            ),
            (
                select string_agg(stock_code_pattern, chr(10) order by stock_code_pattern)
                from stock_code_rules
            )
        ) as settings_key

),

fingerprinted as (

    select
        listed_files.source_file,
        listed_files.file_bytes,
        listed_files.modified_at,
        -- Epoch microseconds, which no session time zone can change.
        hash(
            listed_files.source_file,
            listed_files.file_bytes,
            epoch_us(listed_files.modified_at)
        ) as file_fingerprint
    from listed_files

),

keyed as (

    select
        fingerprinted.source_file,
        fingerprinted.file_bytes,
        fingerprinted.modified_at,
        row_number() over read_order as file_order,
        -- Each key covers the files before it (their fingerprints folded
        -- with xor, and their count), so a change anywhere in the input
        -- renews the keys of every later file.
        hash(
            ingestion_settings.settings_key,
            row_number() over read_order,
            bit_xor(fingerprinted.file_fingerprint) over (
                read_order rows between unbounded preceding and current row
            )
        ) as file_key
    from fingerprinted
    cross join ingestion_settings
    window read_order as (order by fingerprinted.source_file)

)

select * from keyed
