package io.capconduit.dialer;

import java.time.Instant;
import java.util.List;

import org.apache.ibatis.annotations.Delete;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Options;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;

/** The hopper fill's set-based SQL (long statements in HopperFillMapper.xml). */
@Mapper
interface HopperFillMapper {

    /** An active outbound campaign as the fill sees it; leads without a time zone use the seller's. */
    record FillCampaign(long id, int hopperLevel, int maxAttempts, java.time.LocalTime callWindowStart,
            java.time.LocalTime callWindowEnd, String fallbackZone, int leadLists, int queued) {
    }

    List<FillCampaign> findActiveOutbound();

    FillCampaign findCampaign(long campaignId);

    void forceCustomPlans();

    /**
     * Waits for any other fill of the campaign to end ('HOPF'), whichever application instance or trigger runs it
     * (the scheduled job, fillHopperNow): held to the end of the transaction.
     */
    @Select("SELECT 1 FROM pg_advisory_xact_lock(1213157446, hashint8(#{campaignId}))")
    @Options(useCache = false)
    Integer lockFill(long campaignId);

    List<Long> listsOf(long campaignId);

    int cancelUnfed(long campaignId);

    int cancelOfStoppedCampaigns();

    int countMaxAttempts(@Param("listId") long listId, @Param("maxAttempts") int maxAttempts,
            @Param("cap") Integer cap);

    int countDnc(@Param("listId") long listId, @Param("cap") Integer cap);

    int countAlreadyQueued(@Param("listId") long listId, @Param("cap") Integer cap);

    int countRetryDelay(@Param("listId") long listId, @Param("now") Instant now, @Param("cap") Integer cap);

    int countCallWindow(@Param("listId") long listId, @Param("closedZones") String[] closedZones,
            @Param("fallbackClosed") boolean fallbackClosed, @Param("cap") Integer cap);

    int countClosedLeads(@Param("listId") long listId, @Param("cap") Integer cap);

    /** What one page did: leads queued, leads read, and the (attempts, id) keyset position of its last lead. */
    record Page(int inserted, int size, Integer lastAttempts, Long lastId) {
    }

    Page fillPage(@Param("campaign") FillCampaign campaign, @Param("listId") long listId,
            @Param("zones") String[] zones, @Param("fallbackOpen") boolean fallbackOpen, @Param("now") Instant now,
            @Param("afterAttempts") int afterAttempts,
            @Param("afterId") long afterId, @Param("limit") int limit);

    @Select("""
            INSERT INTO hopper_fill_runs (campaign_id, job_execution_id, ran_at, lead_lists, hopper_level,
                queued_before, closed_leads, excluded_max_attempts, excluded_dnc,
                excluded_already_queued, excluded_retry_delay, excluded_call_window, eligible, inserted,
                zones_in_window, duration_ms)
            VALUES (#{campaignId}, #{jobExecutionId}, #{ranAt}, #{leadLists}, #{hopperLevel}, #{queuedBefore},
                #{closedLeads}, #{excludedMaxAttempts}, #{excludedDnc}, #{excludedAlreadyQueued},
                #{excludedRetryDelay}, #{excludedCallWindow}, #{eligible}, #{inserted}, #{zonesInWindow},
                #{durationMs})
            RETURNING id""")
    @Options(flushCache = Options.FlushCachePolicy.TRUE, useCache = false)
    long insertRun(HopperFillRun run);

    @Delete("DELETE FROM hopper_fill_runs WHERE campaign_id = #{campaignId} AND ran_at < #{before}")
    int deleteRunsBefore(@Param("campaignId") long campaignId, @Param("before") Instant before);
}
