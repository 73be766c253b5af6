{#-
    One row per acquisition month and month since acquisition, up to the
    as-of date's month: how many of the cohort bought in that month, their
    share of the cohort, and the cohort's net revenue in that month. Every
    month in which anyone in the data bought or returned goods has a row for
    each cohort alive then, zero when nobody of that cohort bought.
-#}

with

customer_days as (

    select * from {{ ref('int_customer_days_aggregated') }}

),

as_of as (

    select as_of_date from {{ ref('int_as_of_dates_resolved') }}
    where is_current

),

customer_months as (

    select
        customer_id,
        cast({{ dbt.date_trunc('month', 'invoice_date') }} as date) as activity_month,
        sum(sale_invoices) as sale_invoices,
        sum(gross_revenue - returned_revenue) as net_revenue
    from customer_days
    group by customer_id, cast({{ dbt.date_trunc('month', 'invoice_date') }} as date)

),

acquisitions as (

    select
        customer_id,
        min(activity_month) as acquisition_month
    from customer_months
    where sale_invoices > 0
    group by customer_id

),

cohorts as (

    select
        acquisition_month,
        count(*) as cohort_customers
    from acquisitions
    group by acquisition_month

),

calendar_months as (

    select distinct
        customer_months.activity_month,
        as_of.as_of_date
    from customer_months
    cross join as_of

),

cohort_months as (

    select
        cohorts.acquisition_month,
        cohorts.cohort_customers,
        calendar_months.activity_month,
        calendar_months.as_of_date
    from cohorts
    inner join calendar_months
        on cohorts.acquisition_month <= calendar_months.activity_month

),

activity as (

    select
        acquisitions.acquisition_month,
        customer_months.activity_month,
        count(*) filter (where customer_months.sale_invoices > 0) as active_customers,
        sum(customer_months.net_revenue) as net_revenue
    from customer_months
    inner join acquisitions
        on customer_months.customer_id = acquisitions.customer_id
    group by acquisitions.acquisition_month, customer_months.activity_month

),

final as (

    select
        cohort_months.as_of_date,
        cohort_months.acquisition_month,
        {{ dbt.datediff(
            'cohort_months.acquisition_month', 'cohort_months.activity_month', 'month'
        ) }} as months_since_acquisition,
        cohort_months.activity_month,
        cohort_months.cohort_customers,
        coalesce(activity.active_customers, 0) as active_customers,
        {{ double_as_decimal(
            'coalesce(activity.active_customers, 0) / cohort_months.cohort_customers', 9, 4
        ) }} as active_share,
        cast(coalesce(activity.net_revenue, 0) as decimal(18, 2)) as net_revenue
    from cohort_months
    left join activity
        on
            cohort_months.acquisition_month = activity.acquisition_month
            and cohort_months.activity_month = activity.activity_month

)

select * from final
